"""Fabriques de test, une section par application."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import Contrat, Habilitation
from pilotage.core.tokens import jeton_empreinte
from pilotage.referentiel.models import Generation, Objectif
from pilotage.reunions import services as reunions_services
from pilotage.reunions.models import Decision, PointOrdreDuJour, Reunion
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


# --- reunions --------------------------------------------------------------


def _pilote_of(contrat):
    user = UserFactory()
    grant(user, contrat)
    return user


class ReunionFactory(factory.django.DjangoModelFactory):
    """Une réunion planifiée par le service, comme dans l'application : pilotes du contrat
    invités, ordre du jour constitué (`selection` : les fiches choisies quand
    `ordre_du_jour="selection"`). `created_by` est l'organisateur (un pilote)."""

    class Meta:
        model = Reunion

    contrat = factory.SubFactory(ContratFactory)
    created_by = factory.LazyAttribute(lambda o: _pilote_of(o.contrat))
    date = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    type = Reunion.Type.COMITE_SUIVI
    ordre_du_jour = Reunion.OrdreDuJour.TOUTES
    selection = ()

    @classmethod
    def _create(cls, model_class, *, contrat, created_by, selection=(), **fields):
        return reunions_services.reunion_create(
            contrat=contrat, user=created_by, fields=fields, selection=selection
        )


class PointFactory(factory.django.DjangoModelFactory):
    """Une fiche à l'ordre du jour d'une réunion (par défaut une réunion d'un contrat neuf et
    une nouvelle fiche de ce contrat)."""

    class Meta:
        model = PointOrdreDuJour

    reunion = factory.SubFactory(ReunionFactory)  # contrat sans fiche : ordre du jour vide
    fiche = factory.LazyAttribute(
        lambda o: make_fiche(o.reunion.contrat, numero=o.reunion.contrat.fiches.count() + 1)
    )
    ordre = factory.LazyAttribute(lambda o: o.fiche.numero)


class DecisionFactory(factory.django.DjangoModelFactory):
    """Une décision consignée en séance par le service (`auteur` : par défaut
    l'organisateur de la réunion) ; `changement` : la modification de fiche qu'elle porte."""

    class Meta:
        model = Decision

    point = factory.SubFactory(PointFactory)
    auteur = factory.LazyAttribute(lambda o: o.point.reunion.created_by)
    categorie = Decision.Categorie.AUTRE
    texte = "Décision de test"

    @classmethod
    def _create(cls, model_class, *, point, auteur, **fields):
        return reunions_services.decision_create(point=point, auteur=auteur, fields=fields)


def make_reunion(contrat, user, when, selection=(), **fields) -> Reunion:
    """Réunion à l'Hôtel du département, toutes les fiches à l'ordre du jour."""
    return ReunionFactory(
        contrat=contrat,
        created_by=user,
        date=when,
        selection=selection,
        **({"lieu": "Hôtel du département, Guéret"} | fields),
    )


def make_comite_suivi(contrat, user, when=None, **fields) -> Reunion:
    """Comité de suivi sans lieu, toutes les fiches à l'ordre du jour, demain par défaut."""
    return ReunionFactory(
        contrat=contrat,
        created_by=user,
        date=when or timezone.now() + datetime.timedelta(days=1),
        **fields,
    )


# --- contrats : invitations ---------------------------------------------------


class InvitationFactory(factory.django.DjangoModelFactory):
    """Une invitation ouverte, créée sans courriel ; `token` : le jeton en clair du lien
    (gardé sur l'objet, `invitation.token`, seule son empreinte est en base)."""

    class Meta:
        model = "contrats.Invitation"
        skip_postgeneration_save = True

    contrat = factory.SubFactory(ContratFactory)
    email = factory.Sequence(lambda n: f"invite{n}@exemple.test")
    role = Habilitation.Role.LECTEUR
    token = factory.Sequence(lambda n: f"jeton-de-test-{n:04d}-" + "x" * 24)
    token_hash = factory.LazyAttribute(lambda o: jeton_empreinte(o.token))

    @factory.post_generation
    def fiches(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.fiches.set(extracted)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = kwargs.pop("token", None)
        obj = super()._create(model_class, *args, **kwargs)
        obj.token = token
        return obj


# --- journal des accès ---------------------------------------------------------


class AccesFactory(factory.django.DjangoModelFactory):
    """Une consultation inscrite au journal ; `at` : maintenant, sauf si donné."""

    class Meta:
        model = "journal.Acces"

    user = factory.SubFactory(UserFactory)
    personne = factory.LazyAttribute(lambda o: f"{o.user.get_full_name()} ({o.user.email})")
    institution = factory.LazyAttribute(lambda o: o.user.institution)
    contrat = factory.SubFactory(ContratFactory)
    nature = "consultation"
    objet = "Page du contrat"
    chemin = factory.LazyAttribute(lambda o: f"/contrats/{o.contrat.pk}/")
    at = factory.LazyFunction(timezone.now)


# --- rapports ------------------------------------------------------------------


def make_pilote_institution(contrat, type_, nom=None, role=Habilitation.Role.PILOTE, **fields):
    """Une personne habilitée sur le contrat (pilote par défaut), rattachée à une
    institution du type donné (`Institution.Type`) : Conseil départemental, DDETS, ARS…"""
    institution = InstitutionFactory(nom=nom or f"{type_.upper()} de test", type=type_)
    user = UserFactory(institution=institution, **fields)
    grant(user, contrat, role)
    return user


class RapportFactory(factory.django.DjangoModelFactory):
    """Un rapport d'exécution en brouillon (version 1) ; l'année 2025 par défaut."""

    class Meta:
        model = "rapports.RapportExecution"

    contrat = factory.SubFactory(ContratFactory)
    annee = 2025
