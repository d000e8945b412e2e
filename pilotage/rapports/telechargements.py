"""Lectures de la rubrique « Télécharger » du rapport : pour la version en rédaction et
chaque version arrêtée, les fichiers proposés et l'état de leur production en tâche de
fond (une requête)."""

import hashlib
from dataclasses import dataclass

from .formats import EN_FOND, EXPORTERS, NOMS, TELECHARGEMENT
from .models import FICHIERS, GenerationFichier, RapportExecution, VersionArretee


@dataclass
class FichierVue:
    """Un fichier proposé dans la rubrique « Télécharger » de la page."""

    fmt: str
    libelle: str
    #: La production en tâche de fond de ce fichier, s'il y en a une.
    generation: GenerationFichier | None = None
    #: Produit en tâche de fond (bouton « Générer »), sinon à la demande (lien direct).
    en_fond: bool = False
    #: Fichier déjà rangé sur la version arrêtée.
    range: bool = False

    @property
    def etat(self) -> str:
        """« prete », « en_attente », « en_cours », « echec », « direct » (lien produit à
        la demande) ou « absent » (jamais demandé)."""
        if self.range:
            return GenerationFichier.Statut.PRETE
        if not self.en_fond:
            return "direct"
        return self.generation.etat if self.generation else "absent"

    @property
    def taille(self) -> int | None:
        return self.generation.taille if self.generation else None

    @property
    def nom(self) -> str:
        """Ce que le bouton produit : « le PDF »."""
        return NOMS.get(self.fmt, self.libelle)


@dataclass
class FichiersVersion:
    """Les fichiers d'une version : arrêtée (rangés, ne changent plus) ou en rédaction."""

    numero: int
    arretee: VersionArretee | None
    fichiers: list[FichierVue]

    @property
    def en_route(self) -> bool:
        return any(f.etat in ("en_attente", "en_cours") for f in self.fichiers)


def _fichiers(generations: dict, *, arretee: VersionArretee | None) -> list[FichierVue]:
    ranges = {champ.removeprefix("fichier_") for champ in FICHIERS}
    vues = []
    for fmt, (libelle, _type) in TELECHARGEMENT.items():
        if fmt not in EXPORTERS:
            continue
        vue = FichierVue(fmt=fmt, libelle=libelle, generation=generations.get(fmt))
        if arretee is not None:
            vue.en_fond = fmt in ranges  # le JSON se relit du contenu figé, à la demande
            vue.range = vue.en_fond and bool(getattr(arretee, f"fichier_{fmt}"))
        else:
            vue.en_fond = fmt in EN_FOND
        vues.append(vue)
    return vues


def empreinte_telechargements(groupes: list[FichiersVersion]) -> str:
    """Résumé court de l'état des fichiers : la rubrique qui se redemande le renvoie, et
    rien n'est remplacé (204) tant qu'il n'a pas changé (pas d'annonce répétée aux
    lecteurs d'écran toutes les deux secondes)."""
    etats = ";".join(f"{g.numero}:{f.fmt}={f.etat}" for g in groupes for f in g.fichiers)
    return hashlib.sha256(etats.encode()).hexdigest()[:12]


def telechargements(rapport: RapportExecution, versions: list[VersionArretee]) -> list:
    """[FichiersVersion] : la version courante d'abord (en rédaction ou arrêtée), puis les
    versions arrêtées précédentes, de la plus récente à la plus ancienne ; une requête."""
    par_cle: dict = {}
    for generation in GenerationFichier.objects.filter(rapport=rapport):
        par_cle.setdefault(generation.version_arretee_id, {})[generation.format] = generation
    resultat = []
    if rapport.statut != RapportExecution.Statut.ARRETE:
        brouillon = {
            fmt: g for fmt, g in par_cle.get(None, {}).items() if g.version == rapport.version
        }
        resultat.append(FichiersVersion(rapport.version, None, _fichiers(brouillon, arretee=None)))
    for version in sorted(versions, key=lambda v: -v.numero):
        fichiers = _fichiers(par_cle.get(version.pk, {}), arretee=version)
        resultat.append(FichiersVersion(version.numero, version, fichiers))
    return resultat
