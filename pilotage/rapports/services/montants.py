"""Montants exécutés de l'annexe financière : saisis par les pilotes du Conseil
départemental avec le brouillon (même droit que la rédaction des textes, « rediger »),
une ligne par fiche et financeur, figés avec la version à l'arrêté (contenu calculé)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from pilotage.contrats.models import FicheAction, Financement
from pilotage.core.formats import euros
from pilotage.core.services import Change

from ..models import MONTANT_MAX, MontantExecute, RapportExecution

#: (numéro de fiche tel qu'écrit, code du financeur) → montant (None : effacé).
Montants = dict[tuple[str, str], Decimal | None]

ERREUR_BORNES = f"Le montant exécuté est compris entre 0 et {euros(MONTANT_MAX)}."


def _check(numero: str, financeur: str, montant: Decimal | None, fiches: dict) -> None:
    if numero not in fiches:
        raise ValidationError(f"La fiche n°{numero} n'appartient pas au contrat du rapport.")
    if financeur not in Financement.Financeur.values:
        raise ValidationError("Financeur inconnu.")
    if montant is not None and not (0 <= montant <= MONTANT_MAX):
        raise ValidationError(f"Fiche n°{numero} : {ERREUR_BORNES}")


def _libelle(numero: str, financeur: str) -> str:
    return f"Exécuté – fiche n°{numero}, {Financement.Financeur(financeur).label}"


def _texte(montant: Decimal | None) -> str:
    return euros(montant) if montant is not None else ""


@transaction.atomic
def montants_executes_save(
    *, rapport: RapportExecution, user, montants: Montants
) -> list[MontantExecute]:
    """Enregistre les montants exécutés de l'année (un montant vide efface la saisie).
    Comme un texte, un montant changé pendant la relecture (soumis) annule les
    validations déjà données. Rien n'est écrit si une ligne est refusée."""
    # Le paquet est chargé : ses aides sont définies.
    from . import _locked_for, _validations_cancel

    rapport = _locked_for(
        rapport,
        user,
        "rediger",
        "Seuls les pilotes du Conseil départemental saisissent les montants exécutés, tant "
        "que le rapport n'est ni validé ni arrêté.",
    )
    fiches = {f.numero_affiche: f for f in FicheAction.objects.filter(contrat=rapport.contrat)}
    for (numero, financeur), montant in montants.items():
        _check(numero, financeur, montant, fiches)
    existing = {
        (m.fiche.numero_affiche, m.financeur): m
        for m in rapport.montants_executes.select_related("fiche")
    }
    changes = []
    for (numero, financeur), montant in montants.items():
        current = existing.get((numero, financeur))
        old = current.montant if current else None
        if old == montant:
            continue
        changes.append(
            Change(
                f"execute:{numero}:{financeur}",
                _libelle(numero, financeur),
                _texte(old),
                _texte(montant),
            )
        )
        if montant is None:
            current.delete()
        elif current is None:
            existing[(numero, financeur)] = MontantExecute.objects.create(
                rapport=rapport,
                fiche=fiches[numero],
                financeur=financeur,
                montant=montant,
                updated_by=user,
            )
        else:
            current.montant, current.updated_by = montant, user
            current.save(update_fields=["montant", "updated_by", "updated_at"])
    if changes:
        _validations_cancel(rapport, user, changes)
    return [m for m in existing.values() if m.pk]
