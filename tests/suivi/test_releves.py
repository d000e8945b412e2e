"""Relevés qualitatifs : circuit brouillon → relu → validé → partagé, droits, visibilité."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.suivi import services
from pilotage.suivi.models import Releve


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def user(email):
    return get_user_model().objects.get(email=f"{email}@demo.pilotage.test")


def _draft(demo, author="contributeur"):
    fiche = demo.fiches.get(numero=1)
    return services.releve_create(
        fiche=fiche,
        user=user(author),
        indicateur=fiche.indicateurs.get(nature="qualitatif"),
        date_observation=datetime.date(2026, 5, 14),
        situation="école maternelle",
        questions="Les familles sont-elles écoutées et orientées ?",
        faits="85 % des retours parentaux sont positifs.",
        ameliorations="Mieux informer les parents en amont.",
    )


def test_the_full_circuit_is_dated_and_attributed(demo):
    releve = _draft(demo)
    services.releve_relire(releve=releve, user=user("referent"))
    services.releve_valider(releve=releve, user=user("validateur"), commentaire="RAS")
    services.releve_partager(releve=releve, user=user("validateur"))
    assert releve.statut == Releve.Statut.PARTAGE
    trail = [(e.action, e.user.email.split("@")[0]) for e in releve.etapes.all()]
    assert trail == [
        ("creation", "contributeur"),
        ("relecture", "referent"),
        ("validation", "validateur"),
        ("partage", "validateur"),
    ]
    assert all(e.created_at for e in releve.etapes.all())


def test_the_author_cannot_proofread_their_own_releve(demo):
    releve = _draft(demo)
    with pytest.raises(PermissionDenied):
        services.releve_relire(releve=releve, user=user("contributeur"))


def test_proofreading_is_done_by_a_colleague_of_the_same_institution(demo):
    releve = _draft(demo)
    with pytest.raises(PermissionDenied):
        services.releve_relire(releve=releve, user=user("contributeur.caf"))
    with pytest.raises(PermissionDenied):
        services.releve_relire(releve=releve, user=user("lecteur"))


def test_only_a_validator_validates_and_only_after_proofreading(demo):
    releve = _draft(demo)
    with pytest.raises(PermissionDenied):
        services.releve_valider(releve=releve, user=user("validateur"))
    services.releve_relire(releve=releve, user=user("referent"))
    with pytest.raises(PermissionDenied):
        services.releve_valider(releve=releve, user=user("pilote.cd"))
    services.releve_valider(releve=releve, user=user("validateur"))
    assert releve.statut == Releve.Statut.VALIDE


def test_a_validator_sends_back_with_a_mandatory_comment(demo):
    releve = _draft(demo)
    services.releve_relire(releve=releve, user=user("referent"))
    with pytest.raises(ValidationError):
        services.releve_renvoyer(releve=releve, user=user("validateur"), commentaire=" ")
    services.releve_renvoyer(
        releve=releve, user=user("validateur"), commentaire="Anonymiser la citation."
    )
    assert releve.statut == Releve.Statut.BROUILLON
    assert releve.etapes.last().commentaire == "Anonymiser la citation."


def test_drafts_are_visible_only_to_the_authors_institution(demo):
    releve = _draft(demo)
    visible = lambda email: Releve.objects.visibles_par(user(email)).filter(pk=releve.pk).exists()  # noqa: E731
    assert visible("validateur")  # même institution (Conseil départemental)
    assert not visible("pilote.ars")
    assert not visible("contributeur.caf")
    services.releve_relire(releve=releve, user=user("referent"))
    services.releve_valider(releve=releve, user=user("validateur"))
    assert not visible("pilote.ars")
    services.releve_partager(releve=releve, user=user("validateur"))
    assert visible("pilote.ars")
    assert visible("contributeur.caf")


def test_another_institution_gets_404_on_a_draft_and_sees_shared_ones(demo, client):
    draft = _draft(demo)
    client.login(username="pilote.ars@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{demo.pk}/releves/{draft.pk}/").status_code == 404
    page = client.get(f"/contrats/{demo.pk}/fiches/1/releves/").content.decode()
    assert "Consultation prénatale" in page  # relevé de démonstration partagé
    assert "Brouillon en cours" not in page


def test_a_user_of_another_departement_gets_404_on_releves(demo, client):
    client.login(username="pilote.41@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{demo.pk}/fiches/1/releves/").status_code == 404


def test_the_form_suggests_key_questions_and_shows_the_5_step_guide(demo, client):
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    page = client.get(f"/contrats/{demo.pk}/fiches/13/releves/nouveau/").content.decode()
    assert (
        "Les jeunes majeurs comprennent-ils et mobilisent-ils les dispositifs existants ?" in page
    )
    assert "Préparer la collecte" in page and "Exploiter et valoriser" in page


def test_a_reader_cannot_write_a_releve(demo, client):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{demo.pk}/fiches/1/releves/nouveau/").status_code == 403


def test_demo_has_releves_with_their_validation_trail(demo):
    statuts = sorted(Releve.objects.filter(fiche__contrat=demo).values_list("statut", flat=True))
    assert statuts == ["brouillon", "partage", "valide"]
    partage = Releve.objects.get(statut="partage")
    assert [e.action for e in partage.etapes.all()] == [
        "creation",
        "relecture",
        "validation",
        "partage",
    ]


def test_contract_export_includes_releves_with_their_trail(demo):
    from pilotage.contrats.export import contrat_export

    data = contrat_export(demo)
    releves = [r for f in data["fiches"] for r in f["releves"]]
    assert len(releves) == 3
    shared = next(r for r in releves if r["statut"] == "partage")
    assert [e["action"] for e in shared["etapes"]] == [
        "creation",
        "relecture",
        "validation",
        "partage",
    ]
