"""Résumés hebdomadaires des espaces suivis (`manage.py envoyer_resumes_espaces`, lancée
chaque semaine par cron) : un courriel par personne, une section par espace suivi où il y
a du nouveau, rien s'il n'y a rien.

Le nouveau d'un abonnement : ce qui est daté après sa marque (`Abonnement.resume_jusqu_a`)
et au plus tard à l'instant d'arrêt du lancement — ressources publiées, nouvelles versions
du fichier d'une ressource plus ancienne, actualités, propositions qui ont reçu une réponse
ou changé de statut (`repondu_le`, posé par chaque réponse). L'instant d'arrêt est pris
`MARGE` avant le lancement : une publication en train d'être enregistrée pendant l'envoi
(sa date posée, sa transaction pas encore validée) attend le résumé suivant au lieu
d'être perdue.

Sans doublon : pour chaque personne, une transaction avance la marque de chacun de ses
abonnements (`UPDATE … WHERE marque = celle lue` : un second lancement simultané ne
trouve plus la marque et n'envoie pas la section) et écrit le courriel dans la file des
tâches. Un lancement interrompu garde ce qui est validé ; relancé, il reprend les autres
personnes. Seulement ce que la personne lit au moment de l'envoi : un espace qu'elle ne
lit plus ne donne rien (sa marque avance quand même : retrouver l'accès ne rapporte pas
d'anciennes nouvelles).

Lectures en un nombre fixe de requêtes par personne et par abonnement, quel que soit le
nombre d'éléments nouveaux.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pilotage.core.courriels import courriel_envoyer

from .models import Abonnement, Actualite, Espace, FichierRessource, Proposition, Ressource

#: Ce qui est publié moins de `MARGE` avant le lancement attend le résumé suivant.
MARGE = datetime.timedelta(minutes=5)
#: Éléments de chaque sorte cités par section ; au-delà, « et N autres » et le lien.
PAR_SORTE = 15


@dataclass
class Liste:
    """Les éléments d'une sorte dans une section, bornés à `PAR_SORTE`."""

    elements: list = field(default_factory=list)

    @property
    def cites(self) -> list:
        return self.elements[:PAR_SORTE]

    @property
    def autres(self) -> int:
        return max(0, len(self.elements) - PAR_SORTE)

    def __len__(self) -> int:
        return len(self.elements)


@dataclass
class Section:
    """Ce qui est nouveau dans un espace suivi, depuis la marque de l'abonnement."""

    abonnement: Abonnement
    lien: str = ""
    ressources: Liste = field(default_factory=Liste)
    versions: Liste = field(default_factory=Liste)
    actualites: Liste = field(default_factory=Liste)
    propositions: Liste = field(default_factory=Liste)

    @property
    def espace(self) -> Espace:
        return self.abonnement.espace

    @property
    def total(self) -> int:
        return (
            len(self.ressources)
            + len(self.versions)
            + len(self.actualites)
            + len(self.propositions)
        )


@dataclass
class Resume:
    """Le courriel d'une personne : ses abonnements et les sections non vides."""

    user: object
    abonnements: list
    sections: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.total for r in self.sections)


def _fenetre(champ: str, espace_champ: str, sections, jusqu_a) -> Q:
    """Les éléments datés (`champ`) après la marque de chaque abonnement, jusqu'à
    `jusqu_a`, dans son espace : une condition pour tous les espaces de la personne."""
    condition = Q(pk__in=[])
    for section in sections:
        condition |= Q(
            **{
                espace_champ: section.abonnement.espace_id,
                f"{champ}__gt": section.abonnement.resume_jusqu_a,
                f"{champ}__lte": jusqu_a,
            }
        )
    return condition


def _url(base_url: str, name: str, *args, fragment: str = "") -> str:
    return base_url + reverse(name, args=args) + (f"#{fragment}" if fragment else "")


def _remplir(sections: list[Section], *, jusqu_a, base_url: str) -> None:
    """Les éléments nouveaux des sections d'une personne : quatre requêtes."""
    par_espace = {r.abonnement.espace_id: r for r in sections}
    ressources = Ressource.objects.filter(
        _fenetre("created_at", "espace_id", sections, jusqu_a)
    ).select_related("rubrique")
    for ressource in ressources.order_by("created_at", "pk"):
        section = par_espace[ressource.espace_id]
        ressource.lien = _url(base_url, "espace:ressource", section.espace.cle, ressource.pk)
        section.ressources.elements.append(ressource)
    # Une nouvelle version d'une ressource plus ancienne que la marque (une ressource
    # nouvelle est déjà citée avec son fichier) ; la plus récente par ressource.
    versions = FichierRessource.objects.filter(
        _fenetre("depose_le", "ressource__espace_id", sections, jusqu_a)
    ).select_related("ressource")
    vues = set()
    for version in versions.order_by("-depose_le", "-pk"):
        section = par_espace[version.ressource.espace_id]
        if (
            version.ressource.created_at > section.abonnement.resume_jusqu_a
            or version.ressource_id in vues
        ):
            continue
        vues.add(version.ressource_id)
        version.lien = _url(base_url, "espace:ressource", section.espace.cle, version.ressource_id)
        section.versions.elements.append(version)
    actualites = Actualite.objects.filter(_fenetre("created_at", "espace_id", sections, jusqu_a))
    for actualite in actualites.order_by("created_at", "pk"):
        section = par_espace[actualite.espace_id]
        actualite.lien = _url(
            base_url, "espace:espace", section.espace.cle, fragment=f"actualite-{actualite.pk}"
        )
        section.actualites.elements.append(actualite)
    propositions = Proposition.objects.filter(
        _fenetre("repondu_le", "espace_id", sections, jusqu_a)
    )
    for proposition in propositions.order_by("repondu_le", "pk"):
        section = par_espace[proposition.espace_id]
        proposition.lien = _url(base_url, "espace:proposition", section.espace.cle, proposition.pk)
        section.propositions.elements.append(proposition)


def resumes_calculer(*, jusqu_a: datetime.datetime, base_url: str) -> list[Resume]:
    """Le résumé de chaque personne active qui suit au moins un espace (les sections
    vides retirées). Une requête pour les abonnements, puis au plus cinq par personne."""
    abonnements = (
        Abonnement.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "espace__region", "espace__departement")
        .order_by("user_id", "espace__niveau", "espace__cle")
    )
    par_personne = defaultdict(list)
    for abonnement in abonnements:
        par_personne[abonnement.user_id].append(abonnement)
    resumes = []
    for abonnements_de in par_personne.values():
        user = abonnements_de[0].user
        lus = set(
            Espace.objects.visibles_par(user)
            .filter(pk__in=[a.espace_id for a in abonnements_de])
            .values_list("pk", flat=True)
        )
        sections = [
            Section(a, lien=_url(base_url, "espace:espace", a.espace.cle))
            for a in abonnements_de
            if a.espace_id in lus and a.resume_jusqu_a < jusqu_a
        ]
        if sections:
            _remplir(sections, jusqu_a=jusqu_a, base_url=base_url)
        resumes.append(Resume(user, abonnements_de, sections=[r for r in sections if r.total]))
    return resumes


def _sujet(resume: Resume) -> str:
    if len(resume.sections) == 1:
        return f"Pilotage partagé : du nouveau dans « {resume.sections[0].espace.nom} »"
    return f"Pilotage partagé : du nouveau dans {len(resume.sections)} espaces que vous suivez"


def _courriel(resume: Resume, *, base_url: str) -> None:
    context = {
        "user": resume.user,
        "resume": resume,
        "lien_espaces": _url(base_url, "espace:index"),
    }
    courriel_envoyer(
        subject=_sujet(resume),
        body=render_to_string("espace/resume_courriel.txt", context),
        html=render_to_string("espace/resume_courriel.html", context),
        to=[resume.user.email],
        dans_la_transaction=True,
    )


def _marques_avancer(resume: Resume, jusqu_a) -> set[int]:
    """Avance la marque de chaque abonnement de la personne, si elle est encore celle lue ;
    rend les abonnements avancés (les autres : un autre lancement les a pris)."""
    avances = set()
    for abonnement in resume.abonnements:
        if abonnement.resume_jusqu_a >= jusqu_a:
            continue
        if Abonnement.objects.filter(
            pk=abonnement.pk, resume_jusqu_a=abonnement.resume_jusqu_a
        ).update(resume_jusqu_a=jusqu_a):
            avances.add(abonnement.pk)
    return avances


def _bornes(maintenant, base_url) -> tuple[str, datetime.datetime]:
    """(adresse du site, instant d'arrêt) d'un lancement."""
    base_url = (settings.SITE_URL if base_url is None else base_url).rstrip("/")
    return base_url, (maintenant or timezone.now()) - MARGE


def resumes_envoyer(
    *, maintenant: datetime.datetime | None = None, base_url: str | None = None
) -> list[Resume]:
    """Envoie les résumés dus et rend ceux envoyés. Une transaction par personne (et non
    une pour tout le lancement) : un échec au milieu garde les courriels déjà en file et
    leurs marques, la relance reprend les autres sans rien envoyer deux fois."""
    base_url, jusqu_a = _bornes(maintenant, base_url)
    envoyes = []
    for resume in resumes_calculer(jusqu_a=jusqu_a, base_url=base_url):
        with transaction.atomic():
            avances = _marques_avancer(resume, jusqu_a)
            resume.sections = [r for r in resume.sections if r.abonnement.pk in avances]
            if resume.sections:
                _courriel(resume, base_url=base_url)
                envoyes.append(resume)
    return envoyes


def resumes_apercu(
    *, maintenant: datetime.datetime | None = None, base_url: str | None = None
) -> list[Resume]:
    """Les résumés qu'enverrait `resumes_envoyer` maintenant, sans rien écrire ni envoyer."""
    base_url, jusqu_a = _bornes(maintenant, base_url)
    return [r for r in resumes_calculer(jusqu_a=jusqu_a, base_url=base_url) if r.sections]
