"""Toute fiche peut recevoir un relevé : l'auteur choisit un indicateur qualitatif de la
fiche ou en nomme un nouveau, ajouté à la fiche (et à son historique) avec le relevé."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from lxml import html as lxml_html

from pilotage.contrats.models import Contrat, FicheAction, Indicateur
from pilotage.core.models import Revision
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.suivi import services
from pilotage.suivi.forms import ReleveForm
from pilotage.suivi.models import Releve

AUCUN = "Cette fiche n'a pas encore d'indicateur qualitatif : nommez celui que ce relevé observe."


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def _user(name):
    return get_user_model().objects.get(email=f"{name}@demo.pilotage.test")


def _fiche_without_qualitative(demo) -> FicheAction:
    return demo.fiches.exclude(indicateurs__nature="qualitatif").order_by("numero").first()


def _post_data(**extra):
    return {
        "date_observation": "2026-05-14",
        "situation": "réunion de l'équipe",
        "questions": "Les familles sont-elles orientées ?",
        "faits": "Les partenaires se connaissent mieux.",
        "ameliorations": "Associer davantage l'école.",
        **extra,
    }


def test_every_demo_fiche_offers_a_way_to_name_the_observed_indicator(client, demo):
    """Sur chacune des fiches de la démonstration, le formulaire de relevé propose un
    indicateur à choisir ou le champ qui en nomme un ; sans indicateur qualitatif, le
    message dit quoi faire."""
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    fiches = list(demo.fiches.order_by("numero"))
    without = [f for f in fiches if not f.indicateurs.filter(nature="qualitatif").exists()]
    assert without, "la démonstration compte des fiches sans indicateur qualitatif"
    for fiche in fiches:
        response = client.get(f"/contrats/{demo.pk}/fiches/{fiche.numero}/releves/nouveau/")
        assert response.status_code == 200, fiche.numero
        tree = lxml_html.document_fromstring(response.content.decode())
        options = tree.xpath("//select[@name='indicateur']/option[@value!='']")
        assert tree.xpath("//input[@name='nouvel_indicateur']"), fiche.numero
        if fiche in without:
            assert not options
            assert AUCUN in tree.text_content()
        else:
            assert options
            assert AUCUN not in tree.text_content()


def test_a_releve_on_a_fiche_without_qualitative_indicator_creates_it(client, demo):
    fiche = _fiche_without_qualitative(demo)
    version = fiche.version
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    url = f"/contrats/{demo.pk}/fiches/{fiche.numero}/releves/nouveau/"
    response = client.post(url, _post_data(nouvel_indicateur="Qualité du partenariat local"))
    assert response.status_code == 302
    indicateur = fiche.indicateurs.get(nature="qualitatif")
    assert indicateur.libelle == "Qualité du partenariat local"
    releve = Releve.objects.get(fiche=fiche)
    assert releve.indicateur == indicateur
    fiche.refresh_from_db()
    assert fiche.version == version + 1
    revision = Revision.objects.for_object(fiche).order_by("-pk").first()
    assert revision.user == _user("contributeur")
    [change] = revision.changes.all()
    assert change.field == "indicateurs"
    assert "Qualité du partenariat local" in change.new_value
    assert "Qualité du partenariat local" not in change.old_value


def test_without_qualitative_indicator_an_empty_name_is_refused_with_the_message(client, demo):
    fiche = _fiche_without_qualitative(demo)
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    url = f"/contrats/{demo.pk}/fiches/{fiche.numero}/releves/nouveau/"
    response = client.post(url, _post_data())
    assert response.status_code == 400
    tree = lxml_html.document_fromstring(response.content.decode())
    [field] = tree.xpath("//input[@name='nouvel_indicateur']")
    [group] = field.xpath("ancestor::*[contains(@class, 'fr-input-group')][1]")
    assert "fr-input-group--error" in group.get("class")
    assert AUCUN in group.text_content()
    assert not Releve.objects.filter(fiche=fiche).exists()
    assert not fiche.indicateurs.filter(nature="qualitatif").exists()


def test_choosing_and_naming_an_indicator_at_once_is_refused(demo):
    fiche = demo.fiches.filter(indicateurs__nature="qualitatif").order_by("numero").first()
    existing = fiche.indicateurs.filter(nature="qualitatif").first()
    form = ReleveForm(
        _post_data(indicateur=existing.pk, nouvel_indicateur="Autre chose"), fiche=fiche
    )
    assert not form.is_valid()
    assert "pas les deux" in form.errors["nouvel_indicateur"][0]
    form = ReleveForm(_post_data(), fiche=fiche)
    assert not form.is_valid()
    assert "nommez un nouvel indicateur" in form.errors["indicateur"][0]


def test_a_new_indicator_is_not_kept_when_the_releve_is_refused(demo):
    """Indicateur et relevé sont enregistrés ensemble, ou pas du tout."""
    fiche = _fiche_without_qualitative(demo)
    count = Indicateur.objects.count()
    with pytest.raises(ValidationError):
        services.releve_create(
            fiche=fiche,
            user=_user("contributeur"),
            nouvel_indicateur="Qualité du partenariat local",
            date_observation=datetime.date(2026, 5, 14),
            situation="x" * 5000,
        )
    assert Indicateur.objects.count() == count
