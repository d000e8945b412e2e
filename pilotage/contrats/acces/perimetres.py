"""Périmètres régional et national : donnés ou retirés par le niveau national.

Le périmètre est sur le compte (`comptes.User.perimetre`) ; ce service vit ici, avec les
autres droits, parce que `comptes` ne connaît pas les contrats. Chaque changement laisse
une révision sur le compte de la personne (`core.Revision`) et une ligne dans le journal
de sécurité.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pilotage.core.models import Revision
from pilotage.core.security_log import security_event
from pilotage.core.services import Change, revision_record

from .services import personne_libelle


def peut_gerer_perimetres(user) -> bool:
    """Le niveau national (DGCS) et les administrateurs."""
    return bool(user.is_authenticated and user.is_active and user.est_national)


def _libelle(person) -> str:
    label = person.get_perimetre_display()
    if person.perimetre == person.Perimetre.REGIONAL and person.region_id:
        label += f" – {person.region}"
    return label


@transaction.atomic
def perimetre_grant(*, person, perimetre: str, region=None, user, request=None):
    """Donne à `person` le périmètre `perimetre` (« local » le retire) ; `region` pour le
    régional seulement. Refusé hors du niveau national, et sur son propre compte."""
    if not peut_gerer_perimetres(user):
        raise PermissionDenied("Seul le niveau national peut donner un périmètre.")
    User = get_user_model()
    if perimetre not in User.Perimetre.values:
        raise ValidationError({"perimetre": "Choisissez un périmètre de la liste."})
    if person.pk == user.pk:
        raise ValidationError(
            "Vous ne pouvez pas changer votre propre périmètre : demandez-le à une autre "
            "personne du niveau national."
        )
    if not person.is_active:
        raise ValidationError("Ce compte est désactivé.")
    if perimetre == User.Perimetre.REGIONAL and region is None:
        raise ValidationError({"region": "Choisissez la région de ce périmètre."})
    person = User.objects.select_for_update(of=("self",)).select_related("region").get(pk=person.pk)
    before = _libelle(person)
    person.perimetre = perimetre
    person.region = region if perimetre == User.Perimetre.REGIONAL else None
    person.save(update_fields=["perimetre", "region"])
    after = _libelle(person)
    if before != after:
        revision_record(
            instance=person,
            user=user,
            changes=[Change("perimetre", "Périmètre", before, after)],
            source=Revision.Source.SAISIE,
            comment=f"Périmètre de {personne_libelle(person)}",
        )
        security_event(
            "perimetre_modifie",
            request=request,
            level=logging.INFO,
            compte=person.pk,
            avant=before,
            apres=after,
        )
    return person
