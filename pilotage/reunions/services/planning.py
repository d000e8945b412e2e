"""Planification des réunions : création, ordre du jour, participants, invitations."""

import datetime
import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats import permissions
from pilotage.contrats.models import Contrat, FicheAction, Habilitation
from pilotage.core import recherche
from pilotage.core.courriels import courriel_envoyer, email_outcome, email_queued
from pilotage.core.dates import plausible_date

from ..ics import organizer_of, reunion_calendar
from ..models import (
    Participation,
    PointOrdreDuJour,
    Reunion,
)
from ..selectors import decisions_reportees, fiches_ordre_du_jour

#: La sorte des envois suivis (core.courriels.tracking_register, reunions/apps.py).
TRACKING_KIND = "participation"
REUNION_FIELDS = ["type", "date", "duree_minutes", "lieu", "lien_visio", "ordre_du_jour"]


# --- Planification ------------------------------------------------------------------


def _check_pilote(user, contrat: Contrat) -> None:
    if user is not None and not permissions.is_pilote(user, contrat):
        raise PermissionDenied("Seuls les pilotes du contrat organisent les réunions.")


def _check_editable(reunion: Reunion) -> None:
    if reunion.est_figee:
        raise ValidationError(
            "Le compte rendu de cette réunion est validé : la réunion ne peut plus être modifiée."
        )


@transaction.atomic
def reunion_agenda_set(*, reunion: Reunion, selection=()) -> list[PointOrdreDuJour]:
    """Met l'ordre du jour en conformité avec le mode choisi et la sélection.

    Les fiches ayant des décisions ouvertes d'une réunion précédente y reviennent
    (marquées « reportées ») ; une fiche déjà discutée (notes ou décisions) n'est
    jamais retirée, pour ne rien perdre."""
    _check_editable(reunion)
    chosen = fiches_ordre_du_jour(reunion, selection)
    chosen_ids = {f.pk for f in chosen}
    carried_ids = set(decisions_reportees(reunion).values_list("point__fiche_id", flat=True))
    existing = {p.fiche_id: p for p in reunion.points.all()}
    wanted = chosen_ids | carried_ids
    for fiche_id, point in existing.items():
        if fiche_id in wanted:
            continue
        if point.notes.exists() or point.decisions.exists():
            continue
        point.delete()
    numeros = dict(
        FicheAction.objects.filter(pk__in=wanted | set(existing)).values_list("pk", "numero")
    )
    for fiche_id in wanted:
        reporte = fiche_id in carried_ids and fiche_id not in chosen_ids
        point = existing.get(fiche_id)
        if point is None:
            PointOrdreDuJour.objects.create(
                reunion=reunion, fiche_id=fiche_id, ordre=numeros[fiche_id], reporte=reporte
            )
        elif point.reporte != reporte:
            point.reporte = reporte
            point.save(update_fields=["reporte"])
    return list(reunion.points.select_related("fiche").order_by("ordre", "fiche__numero"))


DUREE_POINT_MAX = 240


@transaction.atomic
def points_durees_set(*, reunion: Reunion, user, durees: dict[int, int | None]) -> int:
    """Temps prévu pour chaque fiche de l'ordre du jour (minutes), affiché par le minuteur
    de la séance ; None le retire. Renvoie le nombre de fiches modifiées."""
    _check_pilote(user, reunion.contrat)
    _check_editable(reunion)
    points = {p.pk: p for p in reunion.points.select_related("fiche")}
    for pk, minutes in durees.items():
        if pk not in points:
            raise ValidationError("Cette fiche n'est pas à l'ordre du jour de la réunion.")
        if minutes is not None and not 1 <= minutes <= DUREE_POINT_MAX:
            raise ValidationError(
                f"Fiche n°{points[pk].fiche.numero} : indiquez un temps entre 1 et "
                f"{DUREE_POINT_MAX} minutes, ou laissez vide."
            )
    changed = 0
    for pk, minutes in durees.items():
        point = points[pk]
        if point.duree_minutes != minutes:
            point.duree_minutes = minutes
            point.save(update_fields=["duree_minutes"])
            changed += 1
    return changed


def _check_date(reunion: Reunion) -> None:
    try:
        plausible_date(reunion.date, generation=reunion.contrat.generation)
    except ValidationError as exc:
        raise ValidationError({"date": exc.messages}) from None


def _fields_set(reunion: Reunion, fields: dict[str, Any]) -> None:
    """Pose les champs saisis (ceux de `REUNION_FIELDS` seulement) et les valide, date
    plausible comprise."""
    for name, value in fields.items():
        if name not in REUNION_FIELDS:
            raise TypeError(f"Champ inconnu : {name}")
        setattr(reunion, name, value)
    reunion.full_clean(exclude=["contrat", "uid"])
    _check_date(reunion)


@transaction.atomic
def reunion_create(
    *,
    contrat: Contrat,
    user,
    fields: dict[str, Any],
    selection=(),
    inviter_pilotes: bool = True,
) -> Reunion:
    """Planifie une réunion, constitue son ordre du jour et invite les pilotes du contrat."""
    _check_pilote(user, contrat)
    reunion = Reunion(contrat=contrat, created_by=user, uid=f"{uuid.uuid4()}@pilotage-partage")
    _fields_set(reunion, fields)
    reunion.save()
    if inviter_pilotes:
        pilotes = (
            Habilitation.objects.filter(contrat=contrat, role=Habilitation.Role.PILOTE)
            .select_related("user")
            .order_by("user__email")
        )
        for h in pilotes:
            Participation.objects.create(
                reunion=reunion, user=h.user, institution_id=h.user.institution_id
            )
    reunion_agenda_set(reunion=reunion, selection=selection)
    return reunion


@transaction.atomic
def reunion_update(*, reunion: Reunion, user, fields: dict[str, Any], selection=None) -> Reunion:
    """Modifie la réunion ; la séquence iCalendar augmente si la date ou le lieu change."""
    _check_pilote(user, reunion.contrat)
    _check_editable(reunion)
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    before = (reunion.date, reunion.duree_minutes, reunion.lieu, reunion.lien_visio)
    _fields_set(reunion, fields)
    if (reunion.date, reunion.duree_minutes, reunion.lieu, reunion.lien_visio) != before:
        reunion.sequence += 1
    reunion.save()
    if selection is not None or "ordre_du_jour" in fields:
        current = selection
        if current is None:
            current = list(reunion.points.filter(reporte=False).values_list("fiche_id", flat=True))
        reunion_agenda_set(reunion=reunion, selection=current)
    recherche.index_object(reunion)  # date et type repris par ses notes et décisions
    return reunion


@transaction.atomic
def reunion_cancel(*, reunion: Reunion, user) -> Reunion:
    _check_pilote(user, reunion.contrat)
    _check_editable(reunion)
    if reunion.statut != Reunion.Statut.PLANIFIEE:
        # Une réunion tenue a des notes et un compte rendu : l'annuler les ferait disparaître.
        raise ValidationError(
            "Cette réunion a déjà eu lieu ou est déjà annulée : elle ne peut plus être annulée."
        )
    reunion.statut = Reunion.Statut.ANNULEE
    reunion.sequence += 1
    reunion.save(update_fields=["statut", "sequence"])
    return reunion


@transaction.atomic
def participation_add(
    *,
    reunion: Reunion,
    user=None,
    institution=None,
    nom: str = "",
    email: str = "",
) -> Participation:
    _check_editable(reunion)
    if user is None and not (nom.strip() or email.strip()):
        raise ValidationError(
            "Indiquez un compte, ou le nom ou le courriel de la personne invitée."
        )
    if user is not None:
        existing = reunion.participations.filter(user=user).first()
        if existing:
            return existing
        institution = institution or user.institution
    participation = Participation(
        reunion=reunion, user=user, institution=institution, nom=nom.strip(), email=email.strip()
    )
    participation.full_clean(exclude=["reunion"])
    participation.save()
    return participation


@transaction.atomic
def participation_set(*, participation: Participation, statut: str, user=None) -> Participation:
    """Présent, excusé ou invité. `user` : la personne qui le note (pilote) ; None pour le
    chargement de la démonstration."""
    _check_pilote(user, participation.reunion.contrat)
    _check_editable(participation.reunion)
    if statut not in Participation.Statut.values:
        raise ValidationError("Statut de participation inconnu.")
    participation.statut = statut
    participation.save(update_fields=["statut"])
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation, user) -> None:
    """Retire une personne de la liste des participants (pilote seulement)."""
    _check_pilote(user, participation.reunion.contrat)
    _check_editable(participation.reunion)
    participation.delete()


# --- Invitations ------------------------------------------------------------------------


def _invitation_subject(reunion: Reunion, participation: Participation) -> str:
    day = timezone.localtime(reunion.date)
    what = f"{reunion.get_type_display()} du {day:%d/%m/%Y} à {day:%H} h {day:%M}"
    where = f" – contrat {reunion.contrat.departement.nom}"
    if reunion.statut == Reunion.Statut.ANNULEE:
        return f"Annulation : {what}{where}"
    if participation.invitation_envoyee_le:
        return f"Invitation mise à jour : {what}{where}"
    return f"Invitation : {what}{where}"


def _invitations_check(reunion: Reunion, user, cancelled: bool) -> None:
    """Contrôles préalables à l'envoi : pilote, réunion modifiable et à venir
    (sauf annulation)."""
    _check_pilote(user, reunion.contrat)
    if not cancelled:
        _check_editable(reunion)
        if reunion.est_passee:
            raise ValidationError("La réunion est passée : les invitations ne sont plus envoyées.")


def _reunion_url(reunion: Reunion, base_url: str) -> str:
    """Lien absolu vers la page de la réunion, vide sans `base_url`."""
    if not base_url:
        return ""
    path = reverse("reunions:detail", args=[reunion.contrat_id, reunion.pk])
    return base_url.rstrip("/") + path


def _invitation_email(
    *,
    reunion: Reunion,
    participation: Participation,
    context: dict[str, Any],
    ics: bytes,
    method: str,
    envoi: datetime.datetime,
) -> None:
    """Courriel d'invitation (ou d'annulation) d'un participant, .ics joint, confié à la
    file des tâches (envoyé si la transaction en cours est validée) ; son sort est
    inscrit sur la participation (`participation_email_track`), reconnu à `envoi`."""
    cancelled = context["annulee"]
    body = render_to_string(
        "reunions/invitation.txt",
        {
            "reunion": reunion,
            "participation": participation,
            "url": context["url"],
            "fiches": context["fiches"],
            "annulee": cancelled,
            "mise_a_jour": bool(participation.invitation_envoyee_le),
            "organisateur": context["organisateur"],
        },
    )
    courriel_envoyer(
        subject=_invitation_subject(reunion, participation),
        body=body,
        to=[participation.adresse],
        reply_to=[context["organisateur"][0]],
        attachments=[
            (
                "annulation.ics" if cancelled else "invitation.ics",
                ics.decode(),
                f"text/calendar; method={method}",
            )
        ],
        tracking=(TRACKING_KIND, participation.pk, envoi.isoformat()),
    )


def participation_email_track(pk: int, envoi: str, erreur: str) -> None:
    """Inscrit le sort du courriel d'invitation d'un participant (appelé par le
    travailleur des tâches, `core.courriels`), si cet envoi est toujours le dernier : un
    envoi plus récent (date `invitation_envoyee_le` changée) garde son propre sort."""
    try:
        moment = datetime.datetime.fromisoformat(envoi)
    except (TypeError, ValueError):
        return
    Participation.objects.filter(pk=pk, invitation_envoyee_le=moment).update(
        **email_outcome(erreur)
    )


def invitations_send(*, reunion: Reunion, user, base_url: str = "") -> int:
    """Envoie à chaque participant qui a une adresse un courriel avec l'invitation .ics
    jointe (METHOD:REQUEST, même UID et SEQUENCE courante : l'agenda met à jour
    l'événement s'il l'avait déjà). Une réunion annulée envoie l'annulation
    (METHOD:CANCEL) à ceux qui avaient été invités. `base_url` (« https://… ») sert aux
    liens vers la page de la réunion. Renvoie le nombre de courriels envoyés ;
    `invitation_envoyee_le` est renseigné dans la même transaction."""
    cancelled = reunion.statut == Reunion.Statut.ANNULEE
    _invitations_check(reunion, user, cancelled)
    participations = list(
        reunion.participations.select_related("user", "institution").order_by(
            "institution__nom", "nom", "pk"
        )
    )
    recipients = [
        p for p in participations if p.adresse and (p.invitation_envoyee_le or not cancelled)
    ]
    if not recipients:
        return 0
    url = _reunion_url(reunion, base_url)
    fiches = list(
        reunion.points.order_by("ordre", "fiche__numero").values_list("fiche__numero", flat=True)
    )
    organizer = organizer_of(reunion, user)
    method = "CANCEL" if cancelled else "REQUEST"
    ics = reunion_calendar(
        reunion,
        method=method,
        url=url,
        participations=recipients if cancelled else participations,
        organizer=organizer,
        fiches=fiches,
    )
    context = {"url": url, "fiches": fiches, "annulee": cancelled, "organisateur": organizer}
    # Les invitations marquées (envoi daté, courriel en file), puis un courriel par
    # participant, envoyé par la file ; sans file (TASKS_BACKEND=immediate), une panne du
    # serveur de courriel annule tout : personne n'est marqué comme invité. Les objets
    # en mémoire gardent la date d'avant : sujet et corps disent « mise à jour » à bon droit.
    envoi = timezone.now()
    with transaction.atomic():
        Participation.objects.filter(pk__in=[p.pk for p in recipients]).update(
            invitation_envoyee_le=envoi, **email_queued()
        )
        for participation in recipients:
            _invitation_email(
                reunion=reunion,
                participation=participation,
                context=context,
                ics=ics,
                method=method,
                envoi=envoi,
            )
    return len(recipients)
