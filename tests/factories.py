"""Fabriques de test, une section par application."""

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import Contrat, Habilitation
from pilotage.referentiel.models import Generation, Objectif
from pilotage.territoires.models import Departement, Institution

# --- territoires -----------------------------------------------------------


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ["nom"]

    nom = factory.Sequence(lambda n: f"Institution {n}")
    type = Institution.Type.CD
    departement = factory.LazyFunction(lambda: Departement.objects.get(code="23"))


# --- comptes ---------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"agent{n}@exemple.test")
    first_name = "Agent"
    last_name = factory.Sequence(lambda n: f"Test{n}")
    institution = factory.SubFactory(InstitutionFactory)
    password = factory.PostGenerationMethodCall("set_password", "mot-de-passe-test")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


# --- contrats --------------------------------------------------------------


class ContratFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contrat

    departement = factory.LazyFunction(lambda: Departement.objects.get(code="23"))
    generation = factory.LazyFunction(lambda: Generation.objects.get(code="2025-2027"))
    statut = Contrat.Statut.SIGNE


def grant(user, contrat, role=Habilitation.Role.PILOTE):
    return contrats_services.habilitation_grant(user=user, contrat=contrat, role=role)


def make_fiche(contrat, numero=1, user=None, objectifs=(1,), **fields):
    """Crée une fiche complète par le service (comme l'application le fait)."""
    values = {
        "numero": numero,
        "titre": f"Fiche de test n°{numero}",
        "referent": "Pôle cohésion sociale",
        "constat": "Constat de test.",
        "objectif_operationnel": "Objectif de test.",
        "description": "- Première étape\n- Deuxième étape",
    }
    values.update(fields)
    return contrats_services.fiche_create(
        contrat=contrat,
        user=user,
        fields=values,
        objectifs=Objectif.objects.filter(generation=contrat.generation, numero__in=objectifs),
        acteurs=[{"nom": "CH"}, {"nom": "ARS"}],
        financements=[
            {"financeur": "etat", "montant": Decimal("14574")},
            {"financeur": "cd", "montant": Decimal("14574"), "valorisation": True},
        ],
        jalons=[{"libelle": "Signature de la convention", "periode": "2025"}],
        indicateurs=[{"nature": "quantitatif", "libelle": "Nombre d'EPP réalisés"}],
        points_vigilance=[{"libelle": "Natalité en baisse"}],
    )


def _post_value(value):
    """Une valeur initiale de formulaire telle qu'un navigateur la renverrait."""
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if hasattr(value, "pk"):
        return str(value.pk)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, list | tuple):  # choix multiples (objectifs, référents)
        return [_post_value(item) for item in value]
    return str(value)


def fiche_post_data(fiche, **overrides) -> dict:
    """Les données POST du formulaire de modification de `fiche`, comme un navigateur qui
    enregistre sans rien changer : rubriques, `version`, chaque liste (acteurs,
    financements, jalons, indicateurs, points de vigilance) avec son formulaire de
    gestion et ses lignes existantes. `overrides` remplace des clés, par exemple
    `constat="…"` ou `**{"acteurs-0-nom": "…"}` ; une valeur None retire la clé."""
    from pilotage.contrats.forms import FicheForm, build_formsets

    def add(data, bound_field):
        value = _post_value(bound_field.value())
        if value is not None:
            data[bound_field.html_name] = value

    data = {}
    form = FicheForm(instance=fiche, contrat=fiche.contrat)
    for bound_field in form:
        if bound_field.name != "confirm_personal_data":
            add(data, bound_field)
    for _title, formset in build_formsets(fiche).values():
        rows = formset.initial_forms
        management = formset.management_form
        data.update(
            {
                management["TOTAL_FORMS"].html_name: str(len(rows)),
                management["INITIAL_FORMS"].html_name: str(len(rows)),
                management["MIN_NUM_FORMS"].html_name: "0",
                management["MAX_NUM_FORMS"].html_name: "1000",
            }
        )
        for row in rows:
            for bound_field in row:
                if bound_field.name != "DELETE":
                    add(data, bound_field)
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data
