"""Écritures sur les droits d'un contrat : rôle d'une personne, retrait d'un accès, fiches
d'un référent, et leur inscription dans l'historique du contrat.

Chaque changement laisse une révision sur le contrat (`core.Revision`, cible le contrat) :
commentaire (« Rôle modifié », « Invitation envoyée »…) et une ligne par droit changé,
avec l'ancienne et la nouvelle valeur. Les fiches d'un référent se changent comme dans
le formulaire de la fiche : verrou optimiste et ligne « Référents dans l'application »
dans l'historique de la fiche.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pilotage.core import recherche
from pilotage.core.models import Revision
from pilotage.core.services import Change, revision_record, version_bump

from .. import permissions
from ..models import Contrat, FicheAction, Habilitation
from ..roles import Role

REFUS_GESTION = (
    "Seuls les pilotes du contrat et le niveau national peuvent gérer les personnes et "
    "leurs droits."
)


def personne_libelle(person) -> str:
    """« Prénom Nom (adresse) », ou l'adresse seule."""
    name = person.get_full_name()
    return f"{name} ({person.email})" if name else person.email


def fiches_libelle(fiches: Iterable[FicheAction]) -> str:
    return ", ".join(f"n°{f.numero}" for f in sorted(fiches, key=lambda f: f.numero))


def gestion_check(user, contrat: Contrat) -> None:
    if not permissions.can_manage_acces(user, contrat):
        raise PermissionDenied(REFUS_GESTION)


def fiches_check(contrat: Contrat, role: str, fiches: Iterable[FicheAction]) -> list[FicheAction]:
    """Les fiches d'un référent : au moins une, toutes du contrat ; aucune pour un autre rôle."""
    fiches = list(fiches)
    if role != Role.REFERENT:
        if fiches:
            raise ValidationError(
                {"fiches": "Les fiches ne se choisissent que pour un référent de fiche."}
            )
        return []
    if not fiches:
        raise ValidationError({"fiches": "Choisissez au moins une fiche pour un référent."})
    if any(f.contrat_id != contrat.pk for f in fiches):
        raise ValidationError({"fiches": "Choisissez des fiches de ce contrat."})
    return fiches


def role_check(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": "Choisissez un rôle de la liste."})


def acces_revision(*, contrat: Contrat, user, comment: str, changes: list[Change]) -> Revision:
    """Inscrit un changement de droits dans l'historique du contrat."""
    return revision_record(
        instance=contrat,
        user=user,
        changes=changes,
        source=Revision.Source.SAISIE,
        comment=comment,
    )


def _referents_change(*, fiche: FicheAction, person, add: bool, user) -> None:
    """Ajoute ou retire `person` des référents de la fiche, version et historique compris."""
    fiche = FicheAction.objects.select_for_update().get(pk=fiche.pk)
    before = sorted(fiche.referents.all(), key=str)
    if (person in before) == add:
        return
    version_bump(instance=fiche, expected_version=fiche.version)
    if add:
        fiche.referents.add(person)
    else:
        fiche.referents.remove(person)
    after = sorted(fiche.referents.all(), key=str)
    revision_record(
        instance=fiche,
        user=user,
        changes=[
            Change(
                "referents",
                "Référents dans l'application",
                ", ".join(str(u) for u in before),
                ", ".join(str(u) for u in after),
            )
        ],
        version=fiche.version,
        comment="Droits d'accès du contrat",
    )
    recherche.index_object(fiche)  # les référents sont une rubrique cherchable de la fiche


def referent_fiches_set(
    *, contrat: Contrat, person, fiches: Iterable[FicheAction], user
) -> tuple[str, str]:
    """Fait de `person` le référent exactement des `fiches` du contrat ; rend les fiches
    avant et après, en texte (« n°1, n°3 »)."""
    wanted = {f.pk: f for f in fiches}
    current = {f.pk: f for f in FicheAction.objects.filter(contrat=contrat, referents=person)}
    for pk in sorted(set(current) - set(wanted)):
        _referents_change(fiche=current[pk], person=person, add=False, user=user)
    for pk in sorted(set(wanted) - set(current)):
        _referents_change(fiche=wanted[pk], person=person, add=True, user=user)
    return fiches_libelle(current.values()), fiches_libelle(wanted.values())


def _dernier_pilote(habilitation: Habilitation) -> bool:
    """Vrai si `habilitation` est celle du seul pilote actif du contrat (lignes verrouillées
    jusqu'à la fin de la transaction : deux retraits simultanés ne passent pas tous deux)."""
    if habilitation.role != Role.PILOTE:
        return False
    pilotes = list(
        Habilitation.objects.select_for_update()
        .filter(contrat_id=habilitation.contrat_id, role=Role.PILOTE, user__is_active=True)
        .values_list("pk", flat=True)
    )
    return not (set(pilotes) - {habilitation.pk})


DERNIER_PILOTE = (
    "C'est le dernier pilote du contrat : donnez d'abord le rôle de pilote à une autre "
    "personne, sinon plus personne ne pourrait gérer le contrat."
)


@transaction.atomic
def habilitation_change_role(
    *,
    habilitation: Habilitation,
    role: str,
    user,
    fiches: Iterable[FicheAction] = (),
) -> Habilitation:
    """Change le rôle d'une personne sur le contrat (et ses fiches si elle devient ou reste
    référent). Jamais le dernier pilote ; pas de rôle que la personne a déjà."""
    contrat = habilitation.contrat
    gestion_check(user, contrat)
    role_check(role)
    fiches = fiches_check(contrat, role, fiches)
    person = habilitation.user
    old_role = habilitation.role
    if role != old_role:
        if Habilitation.objects.filter(contrat=contrat, user=person, role=role).exists():
            raise ValidationError(
                {"role": f"{person} est déjà « {Role(role).label} » de ce contrat."}
            )
        if _dernier_pilote(habilitation):
            raise ValidationError({"role": DERNIER_PILOTE})
    changes = []
    if role != old_role:
        habilitation.role = role
        habilitation.save(update_fields=["role"])
        changes.append(Change("role", f"Rôle de {person}", Role(old_role).label, Role(role).label))
    if Role.REFERENT in (role, old_role):
        before, after = referent_fiches_set(
            contrat=contrat, person=person, fiches=fiches, user=user
        )
        if before != after:
            changes.append(Change("fiches", f"Fiches de {person} (référent)", before, after))
    if changes:
        acces_revision(
            contrat=contrat,
            user=user,
            comment=f"Rôle modifié : {personne_libelle(person)}",
            changes=changes,
        )
    return habilitation


@transaction.atomic
def habilitation_remove(*, habilitation: Habilitation, user) -> None:
    """Retire un rôle d'une personne sur le contrat (et ses fiches de référent). Jamais au
    dernier pilote."""
    contrat = habilitation.contrat
    gestion_check(user, contrat)
    if _dernier_pilote(habilitation):
        raise ValidationError(DERNIER_PILOTE)
    person = habilitation.user
    changes = [Change("role", f"Rôle de {person}", habilitation.get_role_display(), "")]
    if habilitation.role == Role.REFERENT:
        before, _after = referent_fiches_set(contrat=contrat, person=person, fiches=(), user=user)
        if before:
            changes.append(Change("fiches", f"Fiches de {person} (référent)", before, ""))
    habilitation.delete()
    acces_revision(
        contrat=contrat,
        user=user,
        comment=f"Accès retiré : {personne_libelle(person)}",
        changes=changes,
    )


def acces_grant(
    *, contrat: Contrat, person, role: str, fiches: Iterable[FicheAction], user
) -> list[Change]:
    """Donne le rôle (sans doublon) et les fiches de référent ; rend les lignes d'historique
    (à inscrire par l'appelant, avec son commentaire)."""
    changes = []
    _habilitation, created = Habilitation.objects.get_or_create(
        user=person, contrat=contrat, role=role
    )
    if created:
        changes.append(Change("role", f"Rôle de {person}", "", Role(role).label))
    if role == Role.REFERENT:
        current = FicheAction.objects.filter(contrat=contrat, referents=person)
        wanted = {f.pk: f for f in current} | {f.pk: f for f in fiches}
        before, after = referent_fiches_set(
            contrat=contrat, person=person, fiches=wanted.values(), user=user
        )
        if before != after:
            changes.append(Change("fiches", f"Fiches de {person} (référent)", before, after))
    return changes
