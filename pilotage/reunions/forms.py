"""Formulaires de la planification des réunions : réunion, participants, filtres des
décisions. Ils ne font que valider : l'écriture passe par `services`."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html

from pilotage.contrats.models import Contrat, Habilitation
from pilotage.core.dates import plausible_date
from pilotage.core.forms import DsfrForm, Select
from pilotage.territoires.models import Institution

from .models import Decision, Participation, Reunion


def fiche_label(fiche) -> str:
    """« n°6 – Titre » suivi du badge « À impact » (libellé d'une case à cocher)."""
    if fiche.a_impact:
        return format_html(
            'n°{} – {} <span class="fr-badge fr-badge--purple-glycine fr-badge--sm '
            'fr-badge--no-icon">À impact</span>',
            fiche.numero,
            fiche.titre,
        )
    return f"n°{fiche.numero_affiche} – {fiche.titre}"


class FicheChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return fiche_label(obj)


class ReunionForm(DsfrForm):
    """Planifier ou modifier une réunion. La date est saisie en deux champs (jour, heure)
    que les navigateurs savent proposer ; `cleaned_data["date"]` les réunit."""

    type = forms.ChoiceField(label="Type de réunion", choices=Reunion.Type.choices)
    jour = forms.DateField(
        label="Jour",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Indiquez une date valide (jj/mm/aaaa)."},
    )
    heure = forms.TimeField(
        label="Heure de début",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": "Indiquez une heure valide (hh:mm)."},
    )
    duree_minutes = forms.IntegerField(
        label="Durée prévue (en minutes)",
        min_value=15,
        max_value=8 * 60,
        help_text="Par exemple 120 pour deux heures.",
    )
    lieu = forms.CharField(
        label="Lieu",
        required=False,
        max_length=300,
        help_text="Adresse et salle. Laissez vide pour une réunion entièrement à distance.",
    )
    lien_visio = forms.URLField(
        label="Lien de visioconférence",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Adresse complète, par exemple https://webconf.numerique.gouv.fr/…",
    )
    ordre_du_jour = forms.ChoiceField(
        label="Fiches à l'ordre du jour",
        choices=Reunion.OrdreDuJour.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Les fiches dont une décision d'une réunion précédente reste ouverte y sont "
            "ajoutées d'office."
        ),
    )
    fiches = FicheChoiceField(
        label="Fiches choisies",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Seulement pour « Une sélection de fiches ».",
    )

    def __init__(self, *args, contrat: Contrat, fiches, **kwargs):
        super().__init__(*args, **kwargs)
        self.contrat = contrat
        self.fields["fiches"].queryset = fiches

    @classmethod
    def initial_for(cls, reunion: Reunion) -> dict:
        local = timezone.localtime(reunion.date)
        return {
            "type": reunion.type,
            "jour": local.date(),
            "heure": local.time().replace(second=0, microsecond=0),
            "duree_minutes": reunion.duree_minutes,
            "lieu": reunion.lieu,
            "lien_visio": reunion.lien_visio,
            "ordre_du_jour": reunion.ordre_du_jour,
            "fiches": [p.fiche_id for p in reunion.points.all() if not p.reporte],
        }

    def clean(self):
        data = super().clean()
        jour, heure = data.get("jour"), data.get("heure")
        try:
            plausible_date(jour, generation=self.contrat.generation)
        except ValidationError as exc:
            self.add_error("jour", exc)
            jour = None
        if jour and heure:
            data["date"] = timezone.make_aware(datetime.datetime.combine(jour, heure))
        if not data.get("lieu") and not data.get("lien_visio") and "lien_visio" not in self.errors:
            self.add_error("lieu", "Indiquez un lieu, un lien de visioconférence, ou les deux.")
        if data.get("ordre_du_jour") == Reunion.OrdreDuJour.SELECTION and not data.get("fiches"):
            self.add_error(
                "fiches", "Cochez au moins une fiche, ou choisissez un autre ordre du jour."
            )
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "type": data["type"],
            "date": data["date"],
            "duree_minutes": data["duree_minutes"],
            "lieu": data["lieu"].strip(),
            "lien_visio": data["lien_visio"],
            "ordre_du_jour": data["ordre_du_jour"],
        }

    def selection(self) -> list:
        if self.cleaned_data["ordre_du_jour"] != Reunion.OrdreDuJour.SELECTION:
            return []
        return list(self.cleaned_data["fiches"])


class ParticipationStatutForm(DsfrForm):
    """Statut d'un participant ; préfixé par la participation (plusieurs par page),
    étiqueté « Statut de <nom> » (une liste par ligne : chacune doit se distinguer)."""

    statut = forms.ChoiceField(label="Statut", choices=Participation.Statut.choices, widget=Select)

    def __init__(self, *args, libelle: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if libelle:
            # django-dsfr a déjà construit le champ lié (`DsfrBaseForm.__init__`), qui a
            # copié l'étiquette : changer celle du champ seul ne se verrait pas.
            label = f"Statut de {libelle}"
            self.fields["statut"].label = label
            self["statut"].label = label


class ParticipationAddForm(DsfrForm):
    """Ajouter une personne habilitée sur le contrat, ou un invité extérieur."""

    user = forms.ModelChoiceField(
        label="Une personne habilitée sur le contrat",
        queryset=None,
        required=False,
        empty_label="— Choisir —",
        widget=Select,
    )
    nom = forms.CharField(
        label="Ou un invité extérieur : nom et fonction", required=False, max_length=300
    )
    email = forms.EmailField(label="Son courriel", required=False)
    institution = forms.ModelChoiceField(
        label="Son institution",
        queryset=None,
        required=False,
        empty_label="— Aucune —",
        widget=Select,
    )

    def __init__(self, *args, contrat: Contrat, reunion: Reunion, **kwargs):
        super().__init__(*args, **kwargs)
        already = reunion.participations.filter(user__isnull=False).values("user_id")
        habilitees = Habilitation.objects.filter(contrat=contrat).values("user_id")
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(pk__in=habilitees, is_active=True)
            .exclude(pk__in=already)
            .select_related("institution")
            .order_by("institution__nom", "last_name", "first_name")
        )
        self.fields["user"].label_from_instance = lambda u: (
            f"{u} ({u.institution})" if u.institution_id else str(u)
        )
        self.fields["institution"].queryset = Institution.objects.filter(
            Q(departement_id=contrat.departement_id) | Q(departement__isnull=True)
        ).order_by("nom")

    def clean(self):
        data = super().clean()
        user, nom, email = data.get("user"), data.get("nom"), data.get("email")
        if self.errors:
            return data
        if user and (nom or email):
            raise forms.ValidationError(
                "Choisissez une personne habilitée, ou saisissez un invité extérieur, pas les deux."
            )
        if not user and not (nom and email):
            raise forms.ValidationError(
                "Choisissez une personne habilitée, ou indiquez le nom et le courriel de "
                "l'invité extérieur."
            )
        return data


class DecisionFiltresForm(DsfrForm):
    """Filtres de la liste des décisions du contrat (en GET)."""

    STATUTS = [("ouvertes", "Ouvertes"), ("closes", "Closes"), ("toutes", "Toutes")]

    statut = forms.ChoiceField(label="Statut", choices=STATUTS, required=False)
    fiche = forms.TypedChoiceField(
        label="Fiche", required=False, coerce=int, empty_value=None, choices=()
    )

    def __init__(self, *args, numeros, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiche"].choices = [("", "Toutes les fiches")] + [
            (n, f"Fiche n°{affiche or n}") for n, affiche in numeros
        ]

    def filter(self, decisions):
        statut, fiche = "ouvertes", None
        if self.is_bound and self.is_valid():
            statut = self.cleaned_data["statut"] or "ouvertes"
            fiche = self.cleaned_data["fiche"]
        if statut == "ouvertes":
            decisions = decisions.filter(statut=Decision.Statut.OUVERTE)
        elif statut == "closes":
            decisions = decisions.filter(statut=Decision.Statut.CLOSE)
        if fiche:
            decisions = decisions.filter(point__fiche__numero=fiche)
        return decisions


class DureesForm(DsfrForm):
    """Temps prévu par fiche de l'ordre du jour (un champ par fiche, facultatif)."""

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.points = points
        for point in points:
            self.fields[f"duree_{point.pk}"] = forms.IntegerField(
                label=f"Temps prévu pour la fiche n°{point.fiche.numero_affiche} (minutes)",
                required=False,
                min_value=1,
                max_value=240,
                initial=point.duree_minutes,
                error_messages={
                    "invalid": "Indiquez un nombre de minutes.",
                    "min_value": "Au moins 1 minute.",
                    "max_value": "Au plus 240 minutes.",
                },
                widget=forms.NumberInput(attrs={"min": 1, "max": 240}),
            )

    def durees(self) -> dict[int, int | None]:
        return {point.pk: self.cleaned_data[f"duree_{point.pk}"] for point in self.points}
