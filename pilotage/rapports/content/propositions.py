"""Propositions de bilan d'exécution et de perspectives d'une fiche pour une année, tirées
de ce qui a été saisi ailleurs (issue 13, point 3) : rien n'est tapé deux fois.

- bilan d'exécution : relevés validés de l'année (date, situation, faits), éléments
  positifs notés en séance sur la fiche, décisions de l'année appliquées ou closes ;
- perspectives : éléments d'amélioration des relevés, axes d'amélioration notés en
  séance, décisions de l'année encore ouvertes (avec leur échéance), étapes prévues
  après l'année et pas encore réalisées.

Chaque élément garde sa source (libellé et adresse) pour qu'on retrouve où il a été
saisi. Lecture seule, une requête par sorte de source quel que soit le nombre de fiches.
Les notes de séance sont reprises dans leur version partagée (ce que les autres
participants en voient, passé le garde-fou « données personnelles ») ; les relevés
validés mais pas encore partagés, seulement s'ils sont visibles de `user`."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from pilotage.contrats.models import Contrat, Jalon
from pilotage.reunions.models import Decision, NoteSeance, Reunion
from pilotage.suivi.models import Releve

Encart = NoteSeance.Encart
#: Longueur au-delà de laquelle un texte repris est abrégé (« … ») : la proposition
#: résume, la source garde le texte entier.
EXTRAIT_MAX = 400


@dataclass
class Source:
    libelle: str
    url: str


@dataclass
class Proposition:
    """Les deux textes proposés pour une fiche et les sources de chacun."""

    bilan: list[str] = field(default_factory=list)
    perspectives: list[str] = field(default_factory=list)
    sources_bilan: list[Source] = field(default_factory=list)
    sources_perspectives: list[Source] = field(default_factory=list)

    def add(self, rubrique: str, texte: str, source: Source) -> None:
        getattr(self, rubrique).append(texte)
        sources = getattr(self, f"sources_{rubrique}")
        if source not in sources:
            sources.append(source)

    @property
    def texte_bilan(self) -> str:
        return _texte(self.bilan)

    @property
    def texte_perspectives(self) -> str:
        return _texte(self.perspectives)


def _texte(lignes: list[str]) -> str:
    return "\n".join(f"- {ligne}" for ligne in lignes)


def _extrait(texte: str) -> str:
    texte = " ".join((texte or "").split())
    if len(texte) <= EXTRAIT_MAX:
        return texte
    return texte[: EXTRAIT_MAX - 1].rstrip() + "…"


def _jour(moment) -> str:
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment).date()
    return f"{moment:%d/%m/%Y}"


def _bornes(annee: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_current_timezone()
    debut = datetime.datetime(annee, 1, 1, tzinfo=tz)
    return debut, datetime.datetime(annee + 1, 1, 1, tzinfo=tz)


def _releves(contrat, annee, user, propositions) -> None:
    releves = Releve.objects.filter(
        fiche__contrat=contrat,
        date_observation__year=annee,
        statut__in=(Releve.Statut.VALIDE, Releve.Statut.PARTAGE),
    )
    if user is not None:
        releves = releves.visibles_par(user)
    for releve in releves.order_by("date_observation", "pk"):
        proposition = propositions.get(releve.fiche_id)
        if proposition is None:
            continue
        jour = _jour(releve.date_observation)
        source = Source(
            f"Relevé du {jour} – {releve.situation}",
            reverse("suivi:releve", args=[contrat.pk, releve.pk]),
        )
        proposition.add(
            "bilan", f"Relevé du {jour} ({releve.situation}) : {_extrait(releve.faits)}", source
        )
        if releve.ameliorations.strip():
            proposition.add(
                "perspectives",
                f"Relevé du {jour} : {_extrait(releve.ameliorations)}",
                source,
            )


def _reunion_libelle(reunion: Reunion, rangs) -> str:
    if reunion.pk in rangs:
        reunion._rang, reunion._numero = rangs[reunion.pk]
    return f"{reunion.get_type_display()} du {_jour(reunion.date)} ({reunion.titre})"


def _seance_url(contrat, reunion, fiche) -> str:
    return reverse("reunions:seance_fiche", args=[contrat.pk, reunion.pk, fiche.numero])


def _notes(contrat, annee, fiches, propositions, rangs) -> None:
    debut, fin = _bornes(annee)
    notes = (
        NoteSeance.objects.filter(
            point__reunion__contrat=contrat,
            point__reunion__date__gte=debut,
            point__reunion__date__lt=fin,
        )
        .exclude(point__reunion__statut=Reunion.Statut.ANNULEE)
        .exclude(texte_partage="")
        .select_related("point__reunion")
        .order_by("point__reunion__date", "encart", "created_at", "pk")
    )
    notes = list(notes)
    for note in notes:
        proposition = propositions.get(note.point.fiche_id)
        if proposition is None or not note.texte_partage.strip():
            continue
        reunion = note.point.reunion
        source = Source(
            _reunion_libelle(reunion, rangs),
            _seance_url(contrat, reunion, fiches[note.point.fiche_id]),
        )
        rubrique = "bilan" if note.encart == Encart.POSITIFS else "perspectives"
        for ligne in note.texte_partage.splitlines():
            if ligne.strip():
                proposition.add(
                    rubrique, f"Réunion du {_jour(reunion.date)} : {_extrait(ligne)}", source
                )


def _decisions(contrat, annee, fiches, propositions, rangs) -> None:
    debut, fin = _bornes(annee)
    decisions = list(
        Decision.objects.filter(
            point__reunion__contrat=contrat,
            point__reunion__date__gte=debut,
            point__reunion__date__lt=fin,
        )
        .exclude(point__reunion__statut=Reunion.Statut.ANNULEE)
        .select_related("point__reunion")
        .order_by("point__reunion__date", "created_at", "pk")
    )
    for decision in decisions:
        proposition = propositions.get(decision.point.fiche_id)
        if proposition is None:
            continue
        reunion = decision.point.reunion
        url = _seance_url(contrat, reunion, fiches[decision.point.fiche_id])
        source = Source(
            f"Décision du {_jour(reunion.date)} ({decision.get_categorie_display()})",
            f"{url}#decision-{decision.pk}",
        )
        texte = _extrait(decision.texte)
        if decision.est_ouverte and not decision.est_appliquee:
            echeance = f", échéance le {_jour(decision.echeance)}" if decision.echeance else ""
            porteur = f", portée par {decision.porteur}" if decision.porteur else ""
            proposition.add(
                "perspectives", f"Décision à mettre en œuvre{porteur}{echeance} : {texte}", source
            )
        else:
            etat = "appliquée" if decision.est_appliquee else "close"
            proposition.add("bilan", f"Décision du {_jour(reunion.date)}, {etat} : {texte}", source)


def _jalons(contrat, annee, fiches, propositions) -> None:
    jalons = Jalon.objects.filter(
        fiche__contrat=contrat, date_realisation__isnull=True, date_prevue__year=annee + 1
    ).order_by("date_prevue", "ordre", "pk")
    for jalon in jalons:
        proposition = propositions.get(jalon.fiche_id)
        if proposition is None:
            continue
        fiche = fiches[jalon.fiche_id]
        source = Source(
            f"Étapes de la fiche n°{fiche.numero_affiche}",
            reverse("contrats:fiche", args=[contrat.pk, fiche.numero]),
        )
        proposition.add(
            "perspectives",
            f"Étape prévue le {_jour(jalon.date_prevue)} : {_extrait(jalon.libelle)}",
            source,
        )


def propositions_annee(contrat: Contrat, annee: int, *, user=None) -> dict[int, Proposition]:
    """{pk de fiche : Proposition} pour les fiches du contrat qui ont quelque chose à
    proposer en `annee` ; une requête par sorte de source (relevés, notes de séance,
    décisions, étapes), plus les fiches et le rang des réunions (« 2026 – réunion 1 »)."""
    fiches = {f.pk: f for f in contrat.fiches.only("pk", "numero", "numero_texte", "contrat")}
    propositions = {pk: Proposition() for pk in fiches}
    rangs = Reunion.objects.filter(contrat_id=contrat.pk).rangs()
    _releves(contrat, annee, user, propositions)
    _notes(contrat, annee, fiches, propositions, rangs)
    _decisions(contrat, annee, fiches, propositions, rangs)
    _jalons(contrat, annee, fiches, propositions)
    return {pk: p for pk, p in propositions.items() if p.bilan or p.perspectives}
