"""Formulaires de la séance : note d'un encart, décision typée et son changement, clôture.

Le formulaire de décision traduit les champs du « changement à appliquer » en
`Decision.changement` selon le catalogue `changements` (champs lus, obligatoires, clés
du JSON) : seuls les champs de l'action choisie sont lus, les autres sont ignorés. Les
listes (acteurs, jalons, indicateurs, points de vigilance, fiches du contrat) viennent
de la fiche.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from pilotage.contrats.models import FicheAction, Financement
from pilotage.core.dates import plausible_date
from pilotage.core.forms import DsfrForm, PersonalDataCheckMixin, Select
from pilotage.core.free_text import FreeTextField

from . import changements
from .changements.base import short as _short
from .models import Decision

AUCUN = ""
AUCUN_LABEL = "Aucun changement à appliquer à la fiche"


class NoteForm(DsfrForm):
    texte = FreeTextField(kind="note", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    #: L'auteur confirme que les passages signalés peuvent être partagés.
    confirme = forms.BooleanField(required=False)


class DecisionForm(PersonalDataCheckMixin, DsfrForm):
    """Une décision prise en séance : type, texte, porteur, échéance et changement."""

    personal_data_fields = ["texte", "implication", "vigilance_libelle", "motif"]

    categorie = forms.ChoiceField(
        widget=Select,
        label="Type de décision",
        choices=[("", "— Choisir le type —"), *Decision.Categorie.choices],
    )
    texte = FreeTextField(
        kind="decision", label="Décision", widget=forms.Textarea(attrs={"rows": 3})
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
        widget=Select,
        label="Acteur dont l'implication change",
        required=False,
        coerce=int,
        empty_value=None,
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
        widget=Select, label="Financeur", required=False, choices=Financement.Financeur.choices
    )
    annee = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    vers_fiche = forms.TypedChoiceField(
        widget=Select,
        label="Fiche qui reçoit le montant (transfert)",
        required=False,
        coerce=int,
        empty_value=None,
    )
    # Indicateurs
    indicateur = forms.TypedChoiceField(
        widget=Select, label="Indicateur", required=False, coerce=int, empty_value=None
    )
    cible = forms.DecimalField(
        label="Nouvelle cible", required=False, max_digits=14, decimal_places=2
    )
    indicateur_libelle = forms.CharField(
        label="Nouveau libellé de l'indicateur", required=False, max_length=1000
    )
    # Calendrier
    jalon = forms.TypedChoiceField(
        widget=Select, label="Étape du calendrier", required=False, coerce=int, empty_value=None
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
        widget=Select,
        label="Point de vigilance à lever",
        required=False,
        coerce=int,
        empty_value=None,
    )
    # État
    motif = FreeTextField(
        kind="decision",
        label="Motif de l'abandon",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sans motif, le texte de la décision sert de motif.",
    )
    fiche_beneficiaire = forms.TypedChoiceField(
        widget=Select,
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
        visees = initial_from(decision) if decision is not None else {}
        acteurs, indicateurs, jalons = (
            _en_service(getattr(fiche, relation).all(), visees.get(name))
            for relation, name in (
                ("acteurs", "acteur"),
                ("indicateurs", "indicateur"),
                ("jalons", "jalon"),
            )
        )
        self.fields["acteur"].choices = empty + [(a.pk, a.nom) for a in acteurs]
        self.fields["indicateur"].choices = empty + [(i.pk, _short(i.libelle)) for i in indicateurs]
        self.fields["jalon"].choices = empty + [(j.pk, _jalon_label(j)) for j in jalons]
        self.fields["vigilance_point"].choices = empty + [
            (p.pk, _short(p.libelle)) for p in fiche.points_vigilance.all()
        ]
        others = [
            (f.numero, f"n°{f.numero_affiche} – {_short(f.titre, 70)}")
            for f in (fiches if fiches is not None else [])
            if f.pk != fiche.pk
        ]
        self.fields["vers_fiche"].choices = empty + others
        self.fields["fiche_beneficiaire"].choices = [("", "Aucune")] + others
        self.fields["financeur"].initial = Financement.Financeur.ETAT
        self.categorie = self._current_categorie()
        self.fields["action"].choices = action_choices(self.categorie)

    def _current(self, name: str):
        return self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)

    def _current_categorie(self) -> str:
        value = self._current("categorie")
        return value if value in Decision.Categorie.values else ""

    @property
    def categorie_choisie(self) -> bool:
        return bool(self.categorie)

    @property
    def action_choisie(self) -> str:
        """Le changement choisi s'il va avec le type de décision courant, sinon ""."""
        spec = changements.spec_for(self._current("action"))
        return spec.code if spec is not None and spec.categorie == self.categorie else AUCUN

    def changement_fields(self):
        """Les champs du changement choisi, et eux seuls : le formulaire reste court."""
        spec = changements.spec_for(self.action_choisie)
        wanted = set(spec.form_fields()) if spec else set()
        return [self[name] for name in self.fields if name in wanted]

    def _plausible(self, name: str):
        value = self.cleaned_data.get(name)
        plausible_date(value, generation=self.fiche.contrat.generation)
        return value

    def clean_echeance(self):
        return self._plausible("echeance")

    def clean_date_prevue(self):
        return self._plausible("date_prevue")

    def clean(self):
        cleaned = super().clean()
        action = cleaned.get("action") or AUCUN
        if not action:
            return cleaned
        spec = changements.spec_for(action)
        if spec is None or spec.categorie != cleaned.get("categorie"):
            self.add_error("action", "Ce changement ne correspond pas au type de décision.")
            return cleaned
        for name, message in spec.required:
            if cleaned.get(name) in (None, ""):
                self.add_error(name, message)
        for name, message in spec.form_errors(cleaned):
            self.add_error(name, message)
        return cleaned

    def changement(self) -> dict[str, Any]:
        """`Decision.changement` décrit par le formulaire validé ({} s'il n'y a rien)."""
        spec = changements.spec_for(self.cleaned_data.get("action") or AUCUN)
        return spec.changement_from(self.cleaned_data) if spec else {}

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
    return [(AUCUN, AUCUN_LABEL)] + [
        (spec.code, spec.label) for spec in changements.specs_for(categorie)
    ]


def _en_service(lignes, visee) -> list:
    """Les lignes en service : une ligne retirée du contrat (`retire_le`) ne reçoit pas de
    nouvelle décision, sauf celle que la décision modifiée vise déjà (`visee`)."""
    kept = str(visee or "")
    return [ligne for ligne in lignes if ligne.retire_le is None or str(ligne.pk) == kept]


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
    spec = changements.spec_for(c.get("action"))
    if spec is not None:
        initial.update(spec.initial_from(c))
    return initial


class ClotureForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["commentaire"]

    commentaire = FreeTextField(
        kind="cloture",
        label="Commentaire de clôture",
        required=False,
        widget=forms.TextInput,
        help_text="Facultatif : ce qui a été fait, ou pourquoi la décision est abandonnée.",
    )


def _jalon_label(jalon) -> str:
    label = _short(jalon.libelle, 70)
    if jalon.date_prevue:
        return f"{label} (prévu le {jalon.date_prevue:%d/%m/%Y})"
    if jalon.periode:
        return f"{label} ({jalon.periode})"
    return label
