"""Écritures de l'espace partagé : espaces et rubriques, ressources et leurs versions,
ressource du trimestre, actualités, propositions et leurs réponses, éditeurs, abonnements
(l'envoi des résumés hebdomadaires : `resumes.py`).

Chaque service vérifie le droit (`PermissionDenied`) et les données (`ValidationError`)
avant d'écrire, dans une seule transaction : rien n'est enregistré à moitié.
"""

import datetime
import re
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from pilotage.core import recherche
from pilotage.core.free_text import normalise_text, text_length_check, without_control_characters
from pilotage.core.services import personal_data_confirmations_record
from pilotage.territoires.models import Departement, Region

from .fichiers import fichier_verifier
from .models import (
    RUBRIQUES_INITIALES,
    Abonnement,
    Actualite,
    Espace,
    FichierRessource,
    Niveau,
    Proposition,
    Ressource,
    Rubrique,
)

TITRE_MAX = 200
LIEN_MAX = 500
LIEN_INVALIDE = "Donnez une adresse web complète, qui commence par http:// ou https://."
FICHIER_OU_LIEN = "Joignez un fichier ou donnez un lien (l'un ou l'autre)."
_SAFE_NAME = re.compile(r"[^\w.-]+")


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def _titre(value: str) -> str:
    value = " ".join(without_control_characters(value or "").split())
    if not value:
        raise ValidationError("Donnez un titre.")
    if len(value) > TITRE_MAX:
        raise ValidationError(f"Le titre dépasse {TITRE_MAX} caractères : raccourcissez-le.")
    return value


def _texte(value: str, kind: str, *, required: bool = True) -> str:
    value = normalise_text(without_control_characters(value or "")).strip()
    if required and not value:
        raise ValidationError("Ce texte est vide.")
    text_length_check(value, kind)
    return value


def lien_valider(value: str) -> str:
    """Une adresse http ou https bien formée, bornée ; `ValidationError` sinon."""
    value = (value or "").strip()
    if len(value) > LIEN_MAX or urlsplit(value).scheme.lower() not in ("http", "https"):
        raise ValidationError(LIEN_INVALIDE)
    URLValidator(schemes=["http", "https"], message=LIEN_INVALIDE)(value)
    return value


# --- Espaces et rubriques ----------------------------------------------------------------


@transaction.atomic
def espaces_assurer() -> None:
    """Crée les espaces qui manquent (national, un par région, un par département) et,
    s'il n'y en a aucune, les rubriques de départ. Sans effet (deux requêtes) sinon."""
    if not Rubrique.objects.exists():
        Rubrique.objects.bulk_create(
            [
                Rubrique(nom=nom, description=description, ordre=ordre)
                for ordre, (nom, description) in enumerate(RUBRIQUES_INITIALES, start=1)
            ],
            ignore_conflicts=True,
        )
    attendus = 1 + Region.objects.count() + Departement.objects.count()
    if Espace.objects.count() >= attendus:
        return
    existants = set(Espace.objects.values_list("cle", flat=True))
    nouveaux = [Espace(cle="national", niveau=Niveau.NATIONAL)]
    nouveaux += [
        Espace(cle=Espace.cle_de(region=r), niveau=Niveau.REGIONAL, region=r)
        for r in Region.objects.all()
    ]
    nouveaux += [
        Espace(cle=Espace.cle_de(departement=d), niveau=Niveau.DEPARTEMENTAL, departement=d)
        for d in Departement.objects.all()
    ]
    # Deux premières visites simultanées : la seconde ne crée rien, sans erreur.
    Espace.objects.bulk_create(
        [e for e in nouveaux if e.cle not in existants], ignore_conflicts=True
    )


@transaction.atomic
def editeurs_set(*, user, espace: Espace, editeurs) -> None:
    """Nomme les éditeurs d'un espace (niveau national seulement)."""
    _require(Espace.peut_configurer(user), "Seul le niveau national nomme les éditeurs.")
    espace.editeurs.set(editeurs)


@transaction.atomic
def rubrique_save(*, user, nom: str, description: str = "", ordre: int = 0, rubrique=None):
    """Crée ou renomme une rubrique (niveau national seulement)."""
    _require(Espace.peut_configurer(user), "Seul le niveau national modifie les rubriques.")
    nom = " ".join((nom or "").split())
    if not nom or len(nom) > 80:
        raise ValidationError("Donnez un nom de rubrique de 80 caractères au plus.")
    if Rubrique.objects.exclude(pk=getattr(rubrique, "pk", None)).filter(nom__iexact=nom).exists():
        raise ValidationError("Une rubrique porte déjà ce nom.")
    rubrique = rubrique or Rubrique()
    rubrique.nom, rubrique.description, rubrique.ordre = nom, (description or "")[:300], ordre
    rubrique.save()
    return rubrique


# --- Ressources --------------------------------------------------------------------------


def _fichier_ajouter(*, ressource: Ressource, user, filename: str, data: bytes):
    content_type = fichier_verifier(data, filename=filename)
    version = FichierRessource(
        ressource=ressource,
        nom=(filename or "fichier")[-255:],
        type_contenu=content_type,
        taille=len(data),
        depose_par=user,
    )
    safe = _SAFE_NAME.sub("_", filename or "")[-100:] or "fichier"
    version.fichier.save(safe, ContentFile(data), save=False)
    version.save()
    return version


@transaction.atomic
def ressource_create(
    *,
    user,
    espace: Espace,
    rubrique: Rubrique,
    titre: str,
    resume: str,
    date: datetime.date | None = None,
    lien: str = "",
    filename: str = "",
    data: bytes | None = None,
    objectifs=(),
    confirmations: dict | None = None,
) -> Ressource:
    """Publie une ressource : un fichier (contrôlé, première version) ou un lien."""
    _require(espace.peut_publier(user), "Vous ne publiez pas dans cet espace.")
    if bool(lien) == bool(data):
        raise ValidationError(FICHIER_OU_LIEN)
    ressource = Ressource.objects.create(
        espace=espace,
        rubrique=rubrique,
        titre=_titre(titre),
        resume=_texte(resume, "resume"),
        date=date or timezone.localdate(),
        auteur=user,
        institution=user.institution,
        lien=lien_valider(lien) if lien else "",
    )
    ressource.objectifs.set(objectifs)
    if data:
        _fichier_ajouter(ressource=ressource, user=user, filename=filename, data=data)
    personal_data_confirmations_record(user=user, target=ressource, confirmations=confirmations)
    recherche.index_object(ressource)
    return ressource


@transaction.atomic
def ressource_version_add(*, user, ressource: Ressource, filename: str, data: bytes):
    """Dépose une nouvelle version du fichier : les précédentes restent, datées."""
    _require(ressource.espace.peut_publier(user), "Vous ne publiez pas dans cet espace.")
    if ressource.lien:
        raise ValidationError("Cette ressource est un lien : elle n'a pas de fichier.")
    version = _fichier_ajouter(ressource=ressource, user=user, filename=filename, data=data)
    ressource.save(update_fields=["updated_at"])
    recherche.index_object(ressource)  # le texte de la nouvelle version
    return version


@transaction.atomic
def ressource_du_trimestre_set(*, user, espace: Espace, ressource: Ressource | None) -> None:
    """Met une ressource de l'espace en avant sur sa page d'accueil (ou aucune)."""
    _require(espace.peut_publier(user), "Vous ne publiez pas dans cet espace.")
    if ressource is not None and ressource.espace_id != espace.pk:
        raise ValidationError("Cette ressource n'appartient pas à cet espace.")
    espace.ressource_du_trimestre = ressource
    espace.save(update_fields=["ressource_du_trimestre"])


# --- Actualités et propositions ------------------------------------------------------------


@transaction.atomic
def actualite_create(
    *,
    user,
    espace: Espace,
    titre: str,
    texte: str,
    date: datetime.date | None = None,
    confirmations: dict | None = None,
) -> Actualite:
    _require(espace.peut_publier(user), "Vous ne publiez pas dans cet espace.")
    actualite = Actualite.objects.create(
        espace=espace,
        titre=_titre(titre),
        texte=_texte(texte, "actualite"),
        date=date or timezone.localdate(),
        auteur=user,
    )
    personal_data_confirmations_record(user=user, target=actualite, confirmations=confirmations)
    recherche.index_object(actualite)
    return actualite


@transaction.atomic
def proposition_create(
    *, user, espace: Espace, titre: str, texte: str, confirmations: dict | None = None
) -> Proposition:
    """Toute personne qui lit l'espace propose une amélioration du processus de suivi."""
    _require(
        Espace.objects.visibles_par(user).filter(pk=espace.pk).exists(),
        "Vous ne lisez pas cet espace.",
    )
    proposition = Proposition.objects.create(
        espace=espace, titre=_titre(titre), texte=_texte(texte, "proposition"), auteur=user
    )
    personal_data_confirmations_record(user=user, target=proposition, confirmations=confirmations)
    recherche.index_object(proposition)
    return proposition


@transaction.atomic
def proposition_repondre(
    *,
    user,
    proposition: Proposition,
    statut: str,
    reponse: str,
    confirmations: dict | None = None,
) -> Proposition:
    """Réponse d'un éditeur et nouveau statut, parmi les transitions permises (le même
    statut garde la proposition où elle est et met la réponse à jour)."""
    proposition = Proposition.objects.select_for_update().get(pk=proposition.pk)
    _require(proposition.peut_repondre(user), "Vous ne répondez pas aux propositions ici.")
    if statut != proposition.statut and statut not in proposition.statuts_possibles():
        raise ValidationError(
            f"Une proposition « {proposition.get_statut_display().lower()} » ne peut pas "
            f"passer à « {Proposition.Statut(statut).label.lower()} »."
            if statut in Proposition.Statut.values
            else "Statut inconnu."
        )
    proposition.statut = statut
    proposition.reponse = _texte(reponse, "proposition")
    proposition.repondu_par = user
    proposition.repondu_le = timezone.now()
    proposition.save()
    personal_data_confirmations_record(user=user, target=proposition, confirmations=confirmations)
    recherche.index_object(proposition)
    return proposition


# --- Abonnements -------------------------------------------------------------------------


@transaction.atomic
def abonnement_create(*, user, espace: Espace) -> Abonnement:
    """« Suivre cet espace » : un résumé par semaine de ce qui y sera publié à partir de
    maintenant. Suivre un espace déjà suivi ne change rien (ni la date ni la marque)."""
    _require(
        Espace.objects.visibles_par(user).filter(pk=espace.pk).exists(),
        "Vous ne lisez pas cet espace.",
    )
    abonnement, _ = Abonnement.objects.get_or_create(user=user, espace=espace)
    return abonnement


@transaction.atomic
def abonnement_delete(*, user, espace: Espace) -> bool:
    """« Ne plus suivre cet espace » : plus aucun résumé. Chacun ne retire que son propre
    abonnement, même s'il ne lit plus l'espace (on ne retient personne) ; rien à faire
    s'il n'y en a pas. Vrai si un abonnement a été retiré."""
    _require(user.is_authenticated, "Connectez-vous pour ne plus suivre cet espace.")
    supprimes, _ = Abonnement.objects.filter(user=user, espace=espace).delete()
    return bool(supprimes)
