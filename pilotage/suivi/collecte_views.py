"""« Mes tâches » et plan de collecte des indicateurs d'une fiche."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats import permissions
from pilotage.contrats.models import Indicateur
from pilotage.contrats.views import breadcrumb
from pilotage.core.forms import DsfrForm
from pilotage.core.requests import malformed_pk_response, posted_pk

from . import services
from .models import PlanCollecte
from .tasks import taches_de


def mes_taches(request):
    return render(
        request,
        "suivi/mes_taches.html",
        {"title": "Mes tâches", "taches": taches_de(request.user, timezone.localdate())},
    )


class PlanForm(forms.ModelForm, DsfrForm):
    class Meta:
        model = PlanCollecte
        fields = ["referent_collecte", "methode", "frequence", "prochaine_echeance"]
        widgets = {"prochaine_echeance": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, fiche, **kwargs):
        super().__init__(*args, **kwargs)
        # La règle que le service applique : qui peut saisir des valeurs sur la fiche.
        self.fields["referent_collecte"].queryset = permissions.users_who_can_record_values(fiche)

    def _post_clean(self):
        pass  # le service valide le plan complet


def collecte(request, pk, numero):
    fiche = permissions.get_fiche_for(request.user, pk, numero)
    can_plan = permissions.can_edit_fiche(request.user, fiche)
    indicateurs = list(fiche.indicateurs.select_related("plan_collecte__referent_collecte"))
    forms_by_id = {}
    if request.method == "POST":
        if not can_plan:
            raise PermissionDenied(
                "Seuls les pilotes et le référent de la fiche organisent la collecte."
            )
        indicateur_pk = posted_pk(request.POST, "indicateur")
        if indicateur_pk is None:
            return malformed_pk_response(request, "l'indicateur")
        indicateur = get_object_or_404(Indicateur, pk=indicateur_pk, fiche=fiche)
        form = PlanForm(request.POST, prefix=f"p{indicateur.pk}", fiche=fiche)
        if form.is_valid():
            try:
                services.plan_collecte_set(
                    indicateur=indicateur, user=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Le plan de collecte a été enregistré.")
                return redirect(
                    reverse("suivi:collecte", args=[pk, numero]) + f"#plan-{indicateur.pk}"
                )
        forms_by_id[indicateur.pk] = form
    rows = []
    for indicateur in indicateurs:
        plan = getattr(indicateur, "plan_collecte", None)
        rows.append(
            (
                indicateur,
                plan,
                forms_by_id.get(indicateur.pk)
                or PlanForm(instance=plan, prefix=f"p{indicateur.pk}", fiche=fiche),
            )
        )
    return render(
        request,
        "suivi/collecte.html",
        {
            "title": f"Plan de collecte – fiche action n°{fiche.numero_affiche}",
            "contrat": fiche.contrat,
            "fiche": fiche,
            "rows": rows,
            "peut_planifier": can_plan,
            "peut_modifier": can_plan,
            "onglet": "collecte",
            "breadcrumb_data": breadcrumb(fiche.contrat, fiche, "Plan de collecte"),
        },
        status=400 if forms_by_id else 200,
    )
