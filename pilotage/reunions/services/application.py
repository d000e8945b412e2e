"""Application d'une décision typée à la fiche (révision reliée à la décision)."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pilotage.contrats import permissions
from pilotage.contrats.models import Etat, FicheAction, Financement
from pilotage.contrats.services import FICHE_LISTS, fiche_update
from pilotage.core.models import Revision

from ..models import (
    Decision,
)

# --- Application d'une décision à la fiche -------------------------------------------

#: Actions applicables par type de décision, avec leur libellé.
APPLICATIONS: dict[str, dict[str, str]] = {
    Decision.Categorie.ACTEURS: {
        "ajouter_acteur": "Ajouter un acteur",
        "modifier_implication": "Modifier l'implication d'un acteur",
    },
    Decision.Categorie.MOYENS: {
        "ajouter_financement": "Arbitrage : ajouter ou retirer un montant",
        "transferer": "Transférer un montant vers une autre fiche",
    },
    Decision.Categorie.INDICATEURS: {
        "modifier_indicateur": "Modifier la cible ou la définition d'un indicateur",
    },
    Decision.Categorie.CALENDRIER: {"deplacer_jalon": "Déplacer une étape du calendrier"},
    Decision.Categorie.VIGILANCE: {
        "ajouter_vigilance": "Ajouter un point de vigilance",
        "lever_vigilance": "Lever un point de vigilance",
    },
    Decision.Categorie.ETAT: {
        "abandonner": "Abandonner l'action",
        "relancer": "Relancer l'action",
    },
    Decision.Categorie.AUTRE: {},
}


def _rows(fiche: FicheAction, relation: str) -> list[dict[str, Any]]:
    """Lignes actuelles d'une liste de la fiche, au format attendu par fiche_update."""
    _model, fields, _label = FICHE_LISTS[relation]
    rows = []
    for obj in getattr(fiche, relation).all():
        row = {"id": obj.pk}
        for field in fields:
            if field != "indicateur_national":  # absent de la ligne : valeur conservée
                row[field] = getattr(obj, field)
        rows.append(row)
    return rows


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(" ", "").replace("\u202f", "").replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {"changement": "Le montant doit être un nombre, par exemple 15000."}
        ) from None
    if not amount.is_finite() or abs(amount) >= Decimal("1e10"):
        raise ValidationError({"changement": "Le montant n'est pas valide."})
    return amount.quantize(Decimal("0.01"))


def _date(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError({"changement": "La date doit être au format AAAA-MM-JJ."}) from None


def _fiche_numero(fiche: FicheAction, numero) -> FicheAction | None:
    """Fiche du même contrat que `fiche` portant ce numéro ; None si le numéro est faux
    (« abc » venu d'une donnée forgée ne doit pas faire planter la requête)."""
    try:
        numero = int(str(numero).strip())
    except (TypeError, ValueError):
        return None
    return FicheAction.objects.filter(contrat_id=fiche.contrat_id, numero=numero).first()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError({"changement": message})


def _row_by_id(rows: list[dict], pk, what: str) -> dict:
    for row in rows:
        if str(row["id"]) == str(pk):
            return row
    raise ValidationError({"changement": f"{what} introuvable sur cette fiche."})


def changement_check(*, decision: Decision) -> None:
    """Vérifie que le changement décrit est cohérent avec le type de décision et la fiche."""
    action = (decision.changement or {}).get("action")
    if not action:
        return
    allowed = APPLICATIONS.get(decision.categorie, {})
    _require(action in allowed, "Ce changement ne correspond pas au type de décision.")
    fiche = decision.point.fiche
    _plan(decision, fiche)  # lève ValidationError si incohérent ; n'écrit rien


def _plan(decision: Decision, fiche: FicheAction) -> tuple[dict, dict, tuple | None]:
    """Traduit le changement en arguments de fiche_update : (fields, lists, transfert)."""
    c = decision.changement
    action = c.get("action")
    fields: dict[str, Any] = {}
    lists: dict[str, list] = {}
    transfert = None
    if action == "ajouter_acteur":
        _require(bool(str(c.get("nom", "")).strip()), "Indiquez le nom de l'acteur.")
        lists["acteurs"] = _rows(fiche, "acteurs") + [
            {"nom": str(c["nom"]).strip(), "implication": str(c.get("implication", "")).strip()}
        ]
    elif action == "modifier_implication":
        rows = _rows(fiche, "acteurs")
        _row_by_id(rows, c.get("acteur"), "Acteur")["implication"] = str(
            c.get("implication", "")
        ).strip()
        lists["acteurs"] = rows
    elif action in ("ajouter_financement", "transferer"):
        amount = _amount(c.get("montant"))
        financeur = c.get("financeur") or Financement.Financeur.ETAT
        _require(financeur in Financement.Financeur.values, "Financeur inconnu.")
        annee = c.get("annee") or None
        if annee is not None:
            try:
                annee = int(annee)
            except (TypeError, ValueError):
                raise ValidationError(
                    {"changement": "L'année doit être un nombre, ex. 2026."}
                ) from None
            # mêmes bornes que le formulaire de séance (et la colonne de la base)
            _require(2000 <= annee <= 2100, "L'année doit être comprise entre 2000 et 2100.")
        note = f"Décision du {timezone.localtime(decision.point.reunion.date):%d/%m/%Y}"
        line = {"financeur": financeur, "annee": annee, "libelle": "", "valorisation": False}
        if action == "ajouter_financement":
            _require(amount != 0, "Le montant ne peut pas être nul.")
            lists["financements"] = _rows(fiche, "financements") + [
                dict(line, montant=amount, note=f"{note} : arbitrage")
            ]
        else:
            _require(amount > 0, "Le montant transféré doit être positif.")
            target = _fiche_numero(fiche, c.get("vers_fiche"))
            _require(
                target is not None and target.pk != fiche.pk,
                "Choisissez une autre fiche du même contrat pour recevoir le montant.",
            )
            lists["financements"] = _rows(fiche, "financements") + [
                dict(
                    line,
                    montant=-amount,
                    note=f"{note} : transfert vers la fiche n°{target.numero}",
                )
            ]
            transfert = (
                target,
                dict(line, montant=amount, note=f"{note} : transfert de la fiche n°{fiche.numero}"),
            )
    elif action == "modifier_indicateur":
        rows = _rows(fiche, "indicateurs")
        row = _row_by_id(rows, c.get("indicateur"), "Indicateur")
        if str(c.get("libelle", "")).strip():
            row["libelle"] = str(c["libelle"]).strip()
        if "cible" in c and c["cible"] not in (None, ""):
            row["cible"] = str(c["cible"]).strip()
        lists["indicateurs"] = rows
    elif action == "deplacer_jalon":
        rows = _rows(fiche, "jalons")
        row = _row_by_id(rows, c.get("jalon"), "Étape du calendrier")
        date = _date(c.get("date_prevue"))
        _require(date is not None or bool(c.get("periode")), "Indiquez la nouvelle date.")
        if date is not None:
            row["date_prevue"] = date
        if str(c.get("periode", "")).strip():
            row["periode"] = str(c["periode"]).strip()
        lists["jalons"] = rows
    elif action == "ajouter_vigilance":
        _require(bool(str(c.get("libelle", "")).strip()), "Indiquez le point de vigilance.")
        lists["points_vigilance"] = _rows(fiche, "points_vigilance") + [
            {"libelle": str(c["libelle"]).strip()}
        ]
    elif action == "lever_vigilance":
        rows = _rows(fiche, "points_vigilance")
        row = _row_by_id(rows, c.get("point"), "Point de vigilance")
        lists["points_vigilance"] = [r for r in rows if r is not row]
    elif action == "abandonner":
        motif = str(c.get("motif", "")).strip() or decision.texte
        fields = {"etat": Etat.ABANDONNEE, "motif_abandon": motif}
        if c.get("fiche_beneficiaire"):
            beneficiaire = _fiche_numero(fiche, c["fiche_beneficiaire"])
            _require(beneficiaire is not None, "La fiche qui reçoit les crédits est introuvable.")
            fields["fiche_beneficiaire"] = beneficiaire
    elif action == "relancer":
        fields = {"etat": Etat.EN_COURS, "motif_abandon": "", "fiche_beneficiaire": None}
    else:
        raise ValidationError({"changement": "Ce changement n'est pas applicable."})
    return fields, lists, transfert


def can_apply(user, decision: Decision) -> bool:
    return permissions.is_pilote(user, decision.point.reunion.contrat)


def _comment(decision: Decision) -> str:
    reunion = decision.point.reunion
    return (
        f"{reunion.get_type_display()} du {timezone.localtime(reunion.date):%d/%m/%Y} – "
        f"décision : {decision.texte}"
    )


@transaction.atomic
def decision_apply(*, decision: Decision, user) -> Revision:
    """Applique la décision à la fiche en une action et relie la révision produite.

    Un transfert modifie aussi la fiche qui reçoit le montant (avec sa propre révision,
    au même commentaire). Rien n'est enregistré si une des fiches refuse le changement."""
    decision = (
        Decision.objects.select_for_update()
        .select_related("point__fiche__contrat", "point__reunion__contrat")
        .get(pk=decision.pk)
    )
    if user is not None and not can_apply(user, decision):
        raise PermissionError("Seuls les pilotes du contrat appliquent les décisions.")
    if decision.est_appliquee:
        raise ValidationError("Cette décision a déjà été appliquée à la fiche.")
    fiche = FicheAction.objects.prefetch_related(*FICHE_LISTS).get(pk=decision.point.fiche_id)
    fields, lists, transfert = _plan(decision, fiche)
    comment = _comment(decision)
    before = fiche.version
    fiche = fiche_update(
        fiche=fiche,
        user=user,
        expected_version=fiche.version,
        fields=fields,
        source=Revision.Source.DECISION,
        comment=comment,
        **lists,
    )
    if fiche.version == before:
        raise ValidationError("La fiche est déjà dans l'état demandé par cette décision.")
    revision = Revision.objects.for_object(fiche).order_by("-pk").first()
    if transfert is not None:
        target, line = transfert
        target = FicheAction.objects.prefetch_related("financements").get(pk=target.pk)
        target = fiche_update(
            fiche=target,
            user=user,
            expected_version=target.version,
            source=Revision.Source.DECISION,
            comment=comment,
            financements=_rows(target, "financements") + [line],
        )
        # La fiche qui reçoit le montant relie aussi sa révision à la décision.
        decision.revision_recue = Revision.objects.for_object(target).order_by("-pk").first()
    decision.revision = revision
    decision.appliquee_le = timezone.now()
    decision.appliquee_par = user
    decision.save(update_fields=["revision", "revision_recue", "appliquee_le", "appliquee_par"])
    return revision
