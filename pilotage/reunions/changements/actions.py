"""Les actions applicables à la fiche, une classe par action, dans l'ordre des choix.

Les messages de `required` et `form_errors` sont ceux du formulaire de séance ; ceux de
`plan` contrôlent le JSON enregistré (formulaire, démonstration ou donnée forgée).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from pilotage.contrats.models import Etat, FicheAction, Financement

from ..models import Decision
from .base import (
    Changement,
    Key,
    Plan,
    amount_text,
    fiche_numero,
    fiche_rows,
    find,
    parse_amount,
    parse_date,
    register,
    require,
    row_by_id,
    short,
)

Categorie = Decision.Categorie


def _is_set(value) -> bool:
    return value is not None


# --- Acteurs -------------------------------------------------------------------------


@register
class ActeurAdd(Changement):
    code = "ajouter_acteur"
    label = "Ajouter un acteur"
    categorie = Categorie.ACTEURS
    keys = (Key("nom", "acteur_nom"), Key("implication", "implication"))
    required = (("acteur_nom", "Indiquez le nom de l'acteur à ajouter."),)

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        c = decision.changement
        require(bool(str(c.get("nom", "")).strip()), "Indiquez le nom de l'acteur.")
        line = {"nom": str(c["nom"]).strip(), "implication": str(c.get("implication", "")).strip()}
        return Plan(lists={"acteurs": fiche_rows(fiche, "acteurs") + [line]})

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        text = f"Ajouter l'acteur « {c.get('nom', '')} »"
        return text + (f" : {c['implication']}" if c.get("implication") else "")


@register
class ImplicationUpdate(Changement):
    code = "modifier_implication"
    label = "Modifier l'implication d'un acteur"
    categorie = Categorie.ACTEURS
    keys = (Key("acteur", "acteur"), Key("implication", "implication"))
    required = (
        ("acteur", "Choisissez l'acteur dont l'implication change."),
        ("implication", "Indiquez la nouvelle implication."),
    )

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        c = decision.changement
        lines = fiche_rows(fiche, "acteurs")
        row = row_by_id(lines, c.get("acteur"), "Acteur")
        row["implication"] = str(c.get("implication", "")).strip()
        return Plan(lists={"acteurs": lines})

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        acteur = find(fiche.acteurs.all(), c.get("acteur"))
        nom = f"« {acteur.nom} »" if acteur else "un acteur retiré depuis"
        return f"Implication de {nom} : {c.get('implication', '')}"


# --- Moyens financiers ---------------------------------------------------------------


class _Montant(Changement):
    """Une ligne de financement datée de la réunion : arbitrage ou transfert."""

    categorie = Categorie.MOYENS
    keys = (
        Key("financeur", "financeur", convert=lambda v: v or Financement.Financeur.ETAT),
        Key("montant", "montant", convert=amount_text),
        Key("annee", "annee"),
    )

    @classmethod
    def line(cls, decision: Decision) -> tuple[Decimal, dict[str, Any], str]:
        """(montant, ligne de financement sans montant ni note, début de la note)."""
        c = decision.changement
        amount = parse_amount(c.get("montant"))
        financeur = c.get("financeur") or Financement.Financeur.ETAT
        require(financeur in Financement.Financeur.values, "Financeur inconnu.")
        annee = c.get("annee") or None
        if annee is not None:
            try:
                annee = int(annee)
            except (TypeError, ValueError):
                raise ValidationError(
                    {"changement": "L'année doit être un nombre, ex. 2026."}
                ) from None
            # mêmes bornes que le formulaire de séance (et la colonne de la base)
            require(2000 <= annee <= 2100, "L'année doit être comprise entre 2000 et 2100.")
        note = f"Décision du {timezone.localtime(decision.point.reunion.date):%d/%m/%Y}"
        line = {"financeur": financeur, "annee": annee, "libelle": "", "valorisation": False}
        return amount, line, note

    @staticmethod
    def amount_and_details(c: dict[str, Any]) -> tuple[str, str]:
        """« 5 000 € » et « État, 2026 »."""
        from pilotage.core.templatetags.pilotage import euros

        try:
            montant = euros(Decimal(str(c.get("montant"))))
        except (ArithmeticError, ValueError):
            montant = str(c.get("montant"))
        details = dict(Financement.Financeur.choices).get(c.get("financeur"), "")
        if c.get("annee"):
            details += f", {c['annee']}"
        return montant, details


@register
class FinancementAdd(_Montant):
    code = "ajouter_financement"
    label = "Arbitrage : ajouter ou retirer un montant"
    required = (("montant", "Indiquez le montant (négatif pour un retrait)."),)

    @classmethod
    def form_errors(cls, cleaned: dict[str, Any]) -> list[tuple[str, str]]:
        if cleaned.get("montant") == 0:
            return [("montant", "Le montant ne peut pas être nul.")]
        return []

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        amount, line, note = cls.line(decision)
        require(amount != 0, "Le montant ne peut pas être nul.")
        line = dict(line, montant=amount, note=f"{note} : arbitrage")
        return Plan(lists={"financements": fiche_rows(fiche, "financements") + [line]})

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        montant, details = cls.amount_and_details(c)
        return f"Arbitrage : {montant} ({details})"


@register
class Transfert(_Montant):
    code = "transferer"
    label = "Transférer un montant vers une autre fiche"
    keys = (*_Montant.keys, Key("vers_fiche", "vers_fiche"))
    required = (
        ("montant", "Indiquez le montant transféré."),
        ("vers_fiche", "Choisissez la fiche qui reçoit le montant."),
    )
    receiving_key = "vers_fiche"

    @classmethod
    def form_errors(cls, cleaned: dict[str, Any]) -> list[tuple[str, str]]:
        montant = cleaned.get("montant")
        if montant is not None and montant <= 0:
            return [("montant", "Le montant transféré doit être positif.")]
        return []

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        amount, line, note = cls.line(decision)
        require(amount > 0, "Le montant transféré doit être positif.")
        target = fiche_numero(fiche, decision.changement.get("vers_fiche"))
        require(
            target is not None and target.pk != fiche.pk,
            "Choisissez une autre fiche du même contrat pour recevoir le montant.",
        )
        sent = dict(
            line,
            montant=-amount,
            note=f"{note} : transfert vers la fiche n°{target.numero_affiche}",
        )
        received = dict(
            line, montant=amount, note=f"{note} : transfert de la fiche n°{fiche.numero_affiche}"
        )
        return Plan(
            lists={"financements": fiche_rows(fiche, "financements") + [sent]},
            transfert=(target, received),
        )

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        montant, details = cls.amount_and_details(c)
        return f"Transférer {montant} ({details}) vers la fiche n°{c.get('vers_fiche')}"


# --- Indicateurs et calendrier -------------------------------------------------------


@register
class IndicateurUpdate(Changement):
    code = "modifier_indicateur"
    label = "Modifier la cible ou la définition d'un indicateur"
    categorie = Categorie.INDICATEURS
    keys = (
        Key("indicateur", "indicateur"),
        Key("cible", "cible", convert=amount_text, when=_is_set),
        Key("libelle", "indicateur_libelle", when=bool),
    )
    required = (("indicateur", "Choisissez l'indicateur."),)

    @classmethod
    def form_errors(cls, cleaned: dict[str, Any]) -> list[tuple[str, str]]:
        if cleaned.get("cible") is not None or cleaned.get("indicateur_libelle"):
            return []
        return [("cible", "Indiquez une nouvelle cible ou un nouveau libellé.")]

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        c = decision.changement
        lines = fiche_rows(fiche, "indicateurs")
        row = row_by_id(lines, c.get("indicateur"), "Indicateur")
        if str(c.get("libelle", "")).strip():
            row["libelle"] = str(c["libelle"]).strip()
        if "cible" in c and c["cible"] not in (None, ""):
            row["cible"] = str(c["cible"]).strip()
        return Plan(lists={"indicateurs": lines})

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        indicateur = find(fiche.indicateurs.all(), c.get("indicateur"))
        nom = (
            f"« {short(indicateur.libelle, 80)} »" if indicateur else "un indicateur retiré depuis"
        )
        parts = []
        if c.get("cible") not in (None, ""):
            parts.append(f"nouvelle cible {str(c['cible']).replace('.', ',')}")
        if c.get("libelle"):
            parts.append(f"nouveau libellé « {c['libelle']} »")
        return f"Indicateur {nom} : {', '.join(parts)}"


@register
class JalonMove(Changement):
    code = "deplacer_jalon"
    label = "Déplacer une étape du calendrier"
    categorie = Categorie.CALENDRIER
    keys = (
        Key("jalon", "jalon"),
        Key("date_prevue", "date_prevue", convert=datetime.date.isoformat),
    )
    required = (
        ("jalon", "Choisissez l'étape du calendrier."),
        ("date_prevue", "Indiquez la nouvelle date prévue."),
    )

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        c = decision.changement
        lines = fiche_rows(fiche, "jalons")
        row = row_by_id(lines, c.get("jalon"), "Étape du calendrier")
        date = parse_date(c.get("date_prevue"))
        require(date is not None or bool(c.get("periode")), "Indiquez la nouvelle date.")
        if date is not None:
            row["date_prevue"] = date
        if str(c.get("periode", "")).strip():
            row["periode"] = str(c["periode"]).strip()
        return Plan(lists={"jalons": lines})

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        jalon = find(fiche.jalons.all(), c.get("jalon"))
        nom = f"« {short(jalon.libelle, 80)} »" if jalon else "une étape retirée depuis"
        date = c.get("date_prevue") or ""
        if len(date) == 10:
            date = f"{date[8:10]}/{date[5:7]}/{date[0:4]}"
        return f"Déplacer l'étape {nom} au {date}"


# --- Points de vigilance -------------------------------------------------------------


@register
class VigilanceAdd(Changement):
    code = "ajouter_vigilance"
    label = "Ajouter un point de vigilance"
    categorie = Categorie.VIGILANCE
    keys = (Key("libelle", "vigilance_libelle"),)
    required = (("vigilance_libelle", "Indiquez le point de vigilance."),)

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        c = decision.changement
        require(bool(str(c.get("libelle", "")).strip()), "Indiquez le point de vigilance.")
        line = {"libelle": str(c["libelle"]).strip()}
        return Plan(lists={"points_vigilance": fiche_rows(fiche, "points_vigilance") + [line]})

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        return f"Ajouter le point de vigilance « {c.get('libelle', '')} »"


@register
class VigilanceLift(Changement):
    code = "lever_vigilance"
    label = "Lever un point de vigilance"
    categorie = Categorie.VIGILANCE
    keys = (Key("point", "vigilance_point"),)
    required = (("vigilance_point", "Choisissez le point de vigilance à lever."),)

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        lines = fiche_rows(fiche, "points_vigilance")
        row = row_by_id(lines, decision.changement.get("point"), "Point de vigilance")
        return Plan(lists={"points_vigilance": [r for r in lines if r is not row]})

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        point = find(fiche.points_vigilance.all(), c.get("point"))
        if point:
            return f"Lever le point de vigilance « {short(point.libelle, 80)} »"
        return "Lever un point de vigilance"


# --- État de l'action ----------------------------------------------------------------


@register
class Abandon(Changement):
    code = "abandonner"
    label = "Abandonner l'action"
    categorie = Categorie.ETAT
    keys = (Key("motif", "motif"), Key("fiche_beneficiaire", "fiche_beneficiaire", when=bool))

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        c = decision.changement
        motif = str(c.get("motif", "")).strip() or decision.texte
        fields = {"etat": Etat.ABANDONNEE, "motif_abandon": motif}
        if c.get("fiche_beneficiaire"):
            beneficiaire = fiche_numero(fiche, c["fiche_beneficiaire"])
            require(beneficiaire is not None, "La fiche qui reçoit les crédits est introuvable.")
            fields["fiche_beneficiaire"] = beneficiaire
        return Plan(fields=fields)

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        text = "Abandonner l'action"
        if c.get("fiche_beneficiaire"):
            text += f", crédits vers la fiche n°{c['fiche_beneficiaire']}"
        return text + (f" (motif : {c['motif']})" if c.get("motif") else "")


@register
class Relance(Changement):
    code = "relancer"
    label = "Relancer l'action"
    categorie = Categorie.ETAT

    @classmethod
    def plan(cls, decision: Decision, fiche: FicheAction) -> Plan:
        return Plan(fields={"etat": Etat.EN_COURS, "motif_abandon": "", "fiche_beneficiaire": None})

    @classmethod
    def describe(cls, c: dict[str, Any], fiche: FicheAction) -> str:
        return "Relancer l'action (état « En cours »)"
