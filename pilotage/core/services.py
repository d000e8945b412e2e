"""Services transverses : enregistrement de l'historique et verrou optimiste."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import models, transaction

from .models import PersonalDataConfirmation, Revision, RevisionChange
from .personal_data import Finding


class ConflitDeVersion(Exception):
    """Levée quand un objet a été modifié par quelqu'un d'autre depuis son ouverture."""

    def __init__(self, instance, expected_version: int, *, quoi: str = "Cette fiche"):
        self.instance = instance
        self.expected_version = expected_version
        super().__init__(f"{quoi} a été modifiée par une autre personne pendant votre saisie.")


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old_value: str
    new_value: str


def diff_snapshots(
    old: Mapping[str, tuple[str, str]], new: Mapping[str, tuple[str, str]]
) -> list[Change]:
    """Compare deux instantanés `{champ: (libellé, valeur texte)}` et liste les écarts."""
    changes = []
    for field, (label, new_value) in new.items():
        old_value = old.get(field, (label, ""))[1]
        if old_value != new_value:
            changes.append(Change(field, label, old_value, new_value))
    for field, (label, old_value) in old.items():
        if field not in new and old_value:
            changes.append(Change(field, label, old_value, ""))
    return changes


@transaction.atomic
def revision_record(
    *,
    instance: models.Model,
    user,
    changes: list[Change],
    source: str = Revision.Source.SAISIE,
    version: int | None = None,
    comment: str = "",
) -> Revision:
    """Enregistre une révision et ses changements pour `instance`."""
    revision = Revision.objects.create(
        target=instance,
        user=user if getattr(user, "is_authenticated", False) else None,
        source=source,
        version=version,
        comment=comment[:500],
    )
    RevisionChange.objects.bulk_create(
        RevisionChange(
            revision=revision,
            field=c.field,
            label=c.label,
            old_value=c.old_value,
            new_value=c.new_value,
        )
        for c in changes
    )
    return revision


@transaction.atomic
def version_bump(*, instance: models.Model, expected_version: int) -> int:
    """Incrémente `version` si elle vaut encore `expected_version`, sinon lève un conflit.

    Le test et l'incrément se font en un seul UPDATE : deux enregistrements
    concurrents ne peuvent pas passer tous les deux.
    """
    model = type(instance)
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=models.F("version") + 1
    )
    if not updated:
        raise ConflitDeVersion(instance, expected_version)
    instance.version = expected_version + 1
    return instance.version


@transaction.atomic
def personal_data_confirmations_record(*, user, target, confirmations: dict | None) -> None:
    """Trace les confirmations d'un formulaire (`form.personal_data_confirmed` : rubrique →
    passages signalés). Appelée par le service qui écrit `target`, dans sa transaction :
    le texte et la trace de sa confirmation sont enregistrés ensemble ou pas du tout."""
    for field, findings in (confirmations or {}).items():
        personal_data_confirmation_record(user=user, target=target, field=field, findings=findings)


def personal_data_confirmation_record(
    *, user, target: models.Model | None, field: str, findings: list[Finding]
) -> PersonalDataConfirmation:
    """Trace la confirmation d'un auteur pour les passages signalés d'un champ.

    `target` peut manquer (objet pas encore créé) ; seuls les types et de courts extraits
    (80 caractères) sont gardés, pour savoir ce qui a été confirmé sans recopier le texte.
    """
    return PersonalDataConfirmation.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        target=target,
        field=field[:100],
        kinds=sorted({f.kind for f in findings}),
        excerpts=[f.excerpt[:80] for f in findings],
    )
