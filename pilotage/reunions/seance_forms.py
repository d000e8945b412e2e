"""Formulaires de la séance : note d'un encart, décision typée et son changement, clôture.

Le formulaire de décision traduit les champs du « changement à appliquer » en
`Decision.changement` (formats de `services.application._plan`) : seuls les champs
du type choisi sont lus, les autres sont ignorés. Les listes (acteurs, jalons,
indicateurs, points de vigilance, fiches du contrat) viennent de la fiche.
"""

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from pilotage.contrats.models import FicheAction, Financement
from pilotage.core.forms import DsfrForm, PersonalDataCheckMixin

from .models import Decision
from .services import APPLICATIONS

#: Champs du changement affichés pour chaque type de décision, dans l'ordre.
CATEGORY_FIELDS: dict[str, list[str]] = {
    Decision.Categorie.ACTEURS: ["acteur_nom", "acteur", "implication"],
    Decision.Categorie.MOYENS: ["montant", "financeur", "annee", "vers_fiche"],
    Decision.Categorie.INDICATEURS: ["indicateur", "cible", "indicateur_libelle"],
    Decision.Categorie.CALENDRIER: ["jalon", "date_prevue"],
    Decision.Categorie.VIGILANCE: ["vigilance_libelle", "vigilance_point"],
    Decision.Categorie.ETAT: ["motif", "fiche_beneficiaire"],
    Decision.Categorie.AUTRE: [],
}

#: Champs obligatoires pour chaque action, avec le message affiché s'ils manquent.
REQUIRED: dict[str, list[tuple[str, str]]] = {
    "ajouter_acteur": [("acteur_nom", "Indiquez le nom de l'acteur à ajouter.")],
    "modifier_implication": [
        ("acteur", "Choisissez l'acteur dont l'implication change."),
        ("implication", "Indiquez la nouvelle implication."),
    ],
    "ajouter_financement": [("montant", "Indiquez le montant (négatif pour un retrait).")],
    "transferer": [
        ("montant", "Indiquez le montant transféré."),
        ("vers_fiche", "Choisissez la fiche qui reçoit le montant."),
    ],
    "modifier_indicateur": [("indicateur", "Choisissez l'indicateur.")],
    "deplacer_jalon": [
        ("jalon", "Choisissez l'étape du calendrier."),
        ("date_prevue", "Indiquez la nouvelle date prévue."),
    ],
    "ajouter_vigilance": [("vigilance_libelle", "Indiquez le point de vigilance.")],
    "lever_vigilance": [("vigilance_point", "Choisissez le point de vigilance à lever.")],
    "abandonner": [],
    "relancer": [],
}

AUCUN = ""
AUCUN_LABEL = "Aucun changement à appliquer à la fiche"


class NoteForm(DsfrForm):
    texte = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}))


class DecisionForm(PersonalDataCheckMixin, DsfrForm):
    """Une décision prise en séance : type, texte, porteur, échéance et changement."""

    personal_data_fields = ["texte", "implication", "vigilance_libelle", "motif"]

    categorie = forms.ChoiceField(
        label="Type de décision",
        choices=[("", "— Choisir le type —"), *Decision.Categorie.choices],
    )
    texte = forms.CharField(
        label="Décision", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    porteur = forms.CharField(
        label="Qui la porte",
        required=False,
        max_length=300,
        help_text="Une institution ou une fonction, par exemple « DDETS, pôle cohésion sociale ».",
    )
    echeance = forms.DateField(
        label="Pour quand",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    action = forms.ChoiceField(
        label="Changement à appliquer à la fiche",
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Ce changement ne correspond pas au type de décision."},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    # Acteurs
    acteur_nom = forms.CharField(label="Nouvel acteur (ajout)", required=False, max_length=300)
    acteur = forms.TypedChoiceField(
        label="Acteur dont l'implication change", required=False, coerce=int, empty_value=None
    )
    implication = forms.CharField(label="Implication", required=False, max_length=500)
    # Moyens financiers
    montant = forms.DecimalField(
        label="Montant en euros",
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text="Arbitrage : négatif pour un retrait, par exemple -5000. Transfert : montant positif.",
    )
    financeur = forms.ChoiceField(
        label="Financeur", required=False, choices=Financement.Financeur.choices
    )
    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    vers_fiche = forms.TypedChoiceField(
        label="Fiche qui reçoit le montant (transfert)",
        required=False,
        coerce=int,
        empty_value=None,
    )
    # Indicateurs
    indicateur = forms.TypedChoiceField(
        label="Indicateur", required=False, coerce=int, empty_value=None
    )
    cible = forms.DecimalField(
        label="Nouvelle cible", required=False, max_digits=14, decimal_places=2
    )
    indicateur_libelle = forms.CharField(
        label="Nouveau libellé de l'indicateur", required=False, max_length=1000
    )
    # Calendrier
    jalon = forms.TypedChoiceField(
        label="Étape du calendrier", required=False, coerce=int, empty_value=None
    )
    date_prevue = forms.DateField(
        label="Nouvelle date prévue",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # Points de vigilance
    vigilance_libelle = forms.CharField(
        label="Nouveau point de vigilance (ajout)", required=False, max_length=1000
    )
    vigilance_point = forms.TypedChoiceField(
        label="Point de vigilance à lever", required=False, coerce=int, empty_value=None
    )
    # État
    motif = forms.CharField(
        label="Motif de l'abandon",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sans motif, le texte de la décision sert de motif.",
    )
    fiche_beneficiaire = forms.TypedChoiceField(
        label="Fiche qui reçoit les crédits (abandon)",
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(
        self,
        data=None,
        *args,
        fiche: FicheAction,
        fiches=None,
        decision: Decision | None = None,
        **kw,
    ):
        if decision is not None and data is None and "initial" not in kw:
            kw["initial"] = initial_from(decision)
        super().__init__(data, *args, **kw)
        self.fiche = fiche
        empty = [("", "— Choisir —")]
        self.fields["acteur"].choices = empty + [(a.pk, a.nom) for a in fiche.acteurs.all()]
        self.fields["indicateur"].choices = empty + [
            (i.pk, _short(i.libelle)) for i in fiche.indicateurs.all()
        ]
        self.fields["jalon"].choices = empty + [(j.pk, _jalon_label(j)) for j in fiche.jalons.all()]
        self.fields["vigilance_point"].choices = empty + [
            (p.pk, _short(p.libelle)) for p in fiche.points_vigilance.all()
        ]
        others = [
            (f.numero, f"n°{f.numero} – {_short(f.titre, 70)}")
            for f in (fiches if fiches is not None else [])
            if f.pk != fiche.pk
        ]
        self.fields["vers_fiche"].choices = empty + others
        self.fields["fiche_beneficiaire"].choices = [("", "Aucune")] + others
        self.fields["financeur"].initial = Financement.Financeur.ETAT
        self.categorie = self._current_categorie()
        self.fields["action"].choices = action_choices(self.categorie)

    def _current_categorie(self) -> str:
        value = (
            self.data.get(self.add_prefix("categorie"))
            if self.is_bound
            else self.initial.get("categorie")
        )
        return value if value in Decision.Categorie.values else ""

    @property
    def categorie_choisie(self) -> bool:
        return bool(self.categorie)

    def changement_fields(self):
        """Les champs du changement propres au type de décision courant."""
        return [self[name] for name in CATEGORY_FIELDS.get(self.categorie, [])]

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action") or AUCUN
        categorie = cleaned.get("categorie")
        if action and action not in APPLICATIONS.get(categorie, {}):
            self.add_error("action", "Ce changement ne correspond pas au type de décision.")
            return cleaned
        for name, message in REQUIRED.get(action, []):
            if cleaned.get(name) in (None, ""):
                self.add_error(name, message)
        montant = cleaned.get("montant")
        if action == "transferer" and montant is not None and montant <= 0:
            self.add_error("montant", "Le montant transféré doit être positif.")
        if action == "ajouter_financement" and cleaned.get("montant") == 0:
            self.add_error("montant", "Le montant ne peut pas être nul.")
        if action == "modifier_indicateur" and not (
            cleaned.get("cible") is not None or cleaned.get("indicateur_libelle")
        ):
            self.add_error("cible", "Indiquez une nouvelle cible ou un nouveau libellé.")
        return cleaned

    def changement(self) -> dict[str, Any]:
        """`Decision.changement` décrit par le formulaire validé ({} s'il n'y a rien)."""
        c = self.cleaned_data
        action = c.get("action") or AUCUN
        if not action:
            return {}
        if action == "ajouter_acteur":
            return {"action": action, "nom": c["acteur_nom"], "implication": c["implication"]}
        if action == "modifier_implication":
            return {"action": action, "acteur": c["acteur"], "implication": c["implication"]}
        if action in ("ajouter_financement", "transferer"):
            result = {
                "action": action,
                "financeur": c.get("financeur") or Financement.Financeur.ETAT,
                "montant": _amount_text(c["montant"]),
                "annee": c.get("annee"),
            }
            if action == "transferer":
                result["vers_fiche"] = c["vers_fiche"]
            return result
        if action == "modifier_indicateur":
            result = {"action": action, "indicateur": c["indicateur"]}
            if c.get("cible") is not None:
                result["cible"] = _amount_text(c["cible"])
            if c.get("indicateur_libelle"):
                result["libelle"] = c["indicateur_libelle"]
            return result
        if action == "deplacer_jalon":
            return {
                "action": action,
                "jalon": c["jalon"],
                "date_prevue": c["date_prevue"].isoformat(),
            }
        if action == "ajouter_vigilance":
            return {"action": action, "libelle": c["vigilance_libelle"]}
        if action == "lever_vigilance":
            return {"action": action, "point": c["vigilance_point"]}
        if action == "abandonner":
            result = {"action": action, "motif": c.get("motif", "")}
            if c.get("fiche_beneficiaire"):
                result["fiche_beneficiaire"] = c["fiche_beneficiaire"]
            return result
        return {"action": action}  # relancer

    def service_fields(self) -> dict[str, Any]:
        c = self.cleaned_data
        return {
            "categorie": c["categorie"],
            "texte": c["texte"],
            "porteur": c.get("porteur", ""),
            "echeance": c.get("echeance"),
            "changement": self.changement(),
        }

    def add_service_error(self, exc: ValidationError) -> None:
        """Rattache une erreur du service au bon champ (le changement : au choix d'action)."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                target = "action" if field == "changement" else field
                self.add_error(target if target in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


def action_choices(categorie: str) -> list[tuple[str, str]]:
    return [(AUCUN, AUCUN_LABEL)] + list(APPLICATIONS.get(categorie, {}).items())


def initial_from(decision: Decision) -> dict[str, Any]:
    """Valeurs initiales du formulaire de modification, changement compris."""
    c = decision.changement or {}
    initial = {
        "categorie": decision.categorie,
        "texte": decision.texte,
        "porteur": decision.porteur,
        "echeance": decision.echeance,
        "version": decision.version,
        "action": c.get("action", AUCUN),
    }
    mapping = {
        "ajouter_acteur": {"nom": "acteur_nom", "implication": "implication"},
        "modifier_implication": {"acteur": "acteur", "implication": "implication"},
        "ajouter_financement": {"montant": "montant", "financeur": "financeur", "annee": "annee"},
        "transferer": {
            "montant": "montant",
            "financeur": "financeur",
            "annee": "annee",
            "vers_fiche": "vers_fiche",
        },
        "modifier_indicateur": {
            "indicateur": "indicateur",
            "cible": "cible",
            "libelle": "indicateur_libelle",
        },
        "deplacer_jalon": {"jalon": "jalon", "date_prevue": "date_prevue"},
        "ajouter_vigilance": {"libelle": "vigilance_libelle"},
        "lever_vigilance": {"point": "vigilance_point"},
        "abandonner": {"motif": "motif", "fiche_beneficiaire": "fiche_beneficiaire"},
    }
    for key, field in mapping.get(c.get("action"), {}).items():
        if c.get(key) not in (None, ""):
            initial[field] = c[key]
    return initial


class ClotureForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["commentaire"]

    commentaire = forms.CharField(
        label="Commentaire de clôture",
        required=False,
        max_length=1000,
        help_text="Facultatif : ce qui a été fait, ou pourquoi la décision est abandonnée.",
    )


def _short(text: str, size: int = 90) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= size else text[: size - 1] + "…"


def _jalon_label(jalon) -> str:
    label = _short(jalon.libelle, 70)
    if jalon.date_prevue:
        return f"{label} (prévu le {jalon.date_prevue:%d/%m/%Y})"
    if jalon.periode:
        return f"{label} ({jalon.periode})"
    return label


def _amount_text(value: Decimal) -> str:
    """Montant en texte, sans zéros inutiles : « 15000 », « -2500.5 »."""
    text = f"{value.normalize():f}"
    return text


def describe(changement: dict, fiche: FicheAction) -> str:
    """Le changement prévu, en clair : « Transférer 5 000 € (État, 2026) vers la fiche n°3 »."""
    from pilotage.core.templatetags.pilotage import euros

    c = changement or {}
    action = c.get("action")
    if not action:
        return ""

    def find(items, pk, default):
        for item in items:
            if str(item.pk) == str(pk):
                return item
        return default

    financeurs = dict(Financement.Financeur.choices)
    if action == "ajouter_acteur":
        text = f"Ajouter l'acteur « {c.get('nom', '')} »"
        return text + (f" : {c['implication']}" if c.get("implication") else "")
    if action == "modifier_implication":
        acteur = find(fiche.acteurs.all(), c.get("acteur"), None)
        nom = f"« {acteur.nom} »" if acteur else "un acteur retiré depuis"
        return f"Implication de {nom} : {c.get('implication', '')}"
    if action in ("ajouter_financement", "transferer"):
        try:
            montant = euros(Decimal(str(c.get("montant"))))
        except (ArithmeticError, ValueError):
            montant = str(c.get("montant"))
        details = financeurs.get(c.get("financeur"), "")
        if c.get("annee"):
            details += f", {c['annee']}"
        if action == "transferer":
            return f"Transférer {montant} ({details}) vers la fiche n°{c.get('vers_fiche')}"
        return f"Arbitrage : {montant} ({details})"
    if action == "modifier_indicateur":
        indicateur = find(fiche.indicateurs.all(), c.get("indicateur"), None)
        nom = (
            f"« {_short(indicateur.libelle, 80)} »" if indicateur else "un indicateur retiré depuis"
        )
        parts = []
        if c.get("cible") not in (None, ""):
            parts.append(f"nouvelle cible {str(c['cible']).replace('.', ',')}")
        if c.get("libelle"):
            parts.append(f"nouveau libellé « {c['libelle']} »")
        return f"Indicateur {nom} : {', '.join(parts)}"
    if action == "deplacer_jalon":
        jalon = find(fiche.jalons.all(), c.get("jalon"), None)
        nom = f"« {_short(jalon.libelle, 80)} »" if jalon else "une étape retirée depuis"
        date = c.get("date_prevue") or ""
        if len(date) == 10:
            date = f"{date[8:10]}/{date[5:7]}/{date[0:4]}"
        return f"Déplacer l'étape {nom} au {date}"
    if action == "ajouter_vigilance":
        return f"Ajouter le point de vigilance « {c.get('libelle', '')} »"
    if action == "lever_vigilance":
        point = find(fiche.points_vigilance.all(), c.get("point"), None)
        return (
            f"Lever le point de vigilance « {_short(point.libelle, 80)} »"
            if point
            else ("Lever un point de vigilance")
        )
    if action == "abandonner":
        text = "Abandonner l'action"
        if c.get("fiche_beneficiaire"):
            text += f", crédits vers la fiche n°{c['fiche_beneficiaire']}"
        return text + (f" (motif : {c['motif']})" if c.get("motif") else "")
    if action == "relancer":
        return "Relancer l'action (état « En cours »)"
    return action
