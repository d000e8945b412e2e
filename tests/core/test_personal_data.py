"""Garde-fou « données personnelles » : détection, surlignage, parcours de confirmation."""

import json
from pathlib import Path

import pytest

from pilotage.contrats.models import Contrat
from pilotage.core.models import PersonalDataConfirmation
from pilotage.core.personal_data import detect, highlight
from pilotage.demo.services import DEMO_PASSWORD, demo_load
from tests.contrats.test_regressions import _form_data

CREUSE = Path(__file__).resolve().parents[2] / "pilotage/demo/data/creuse_2025_2027.json"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Mme Dupont a été reçue", "nom"),
        ("M. Jean Martin est venu", "nom"),
        ("Madame Léa Durand", "nom"),
        ("l'enfant Lucas Martin a été vu", "nom"),
        ("la famille Benali", "nom"),
        ("« Léa Durand » nous a dit", "nom"),
        ("Kevin DURAND est venu", "nom"),
        ("né le 12/03/2015", "date_naissance"),
        ("née en 2019 à Guéret", "date_naissance"),
        ("date de naissance inconnue", "date_naissance"),
        ("Lucas, 7 ans, scolarisé", "age_nom"),
        ("Emma, âgée de 4 ans", "age_nom"),
        ("Appeler le 06 12 34 56 78", "telephone"),
        ("tél. +33 5 55 12 34 56", "telephone"),
        ("05.55.12.34.56", "telephone"),
        ("écrire à kevin.durand@exemple.fr", "email"),
        ("contact : parent@mail.test", "email"),
        ("domicilié 12 rue des Lilas 23000 Guéret", "adresse"),
        ("3 bis avenue de la Gare", "adresse"),
        ("au 7 impasse du Moulin", "adresse"),
        ("NIR 1 85 05 78 006 084 91", "nir"),
        ("2850578006084", "nir"),
        ("1 85 05 78 006 084", "nir"),
    ],
)
def test_likely_personal_data_is_detected(text, kind):
    assert kind in {f.kind for f in detect(text)}


@pytest.mark.parametrize(
    "text",
    [
        "14/05/2025, école maternelle",
        "85% des retours parentaux sont positifs ; familles mieux informées sur le suivi",
        "Les familles sont-elles écoutées et orientées ?",
        "La PMI, l'ASE et l'ODPE de la Creuse se réunissent le 12/03/2026.",
        "Un premier travail, conduit avec la chercheuse, Claire Littaye, a permis de mieux comprendre",
        "Financement Etat : 14 574 € Financement CD : 14 574€ (valorisation)",
        "787 enfants de 3 ans ont bénéficié d'un bilan",
        "NIR 1 85 05 78 006 084 36",  # clé fausse : pas un numéro de sécurité sociale
    ],
)
def test_ordinary_administrative_text_is_not_flagged(text):
    assert detect(text) == []


def test_the_17_published_creuse_fiches_raise_no_alarm():
    fiches = json.loads(CREUSE.read_text(encoding="utf-8"))["fiches"]
    for fiche in fiches:
        texts = [
            fiche["titre"],
            fiche["constat"],
            fiche["objectif_operationnel"],
            fiche["description"],
            fiche["calendrier_texte"],
            fiche["moyens_texte"],
            fiche["referent"],
            *[a["nom"] for a in fiche["acteurs"]],
            *[
                i["libelle"]
                for i in fiche["indicateurs_quantitatifs"] + fiche["indicateurs_qualitatifs"]
            ],
            *fiche["points_vigilance"],
        ]
        for text in texts:
            assert detect(text) == [], (fiche["numero"], text[:80])


def test_highlight_escapes_everything_but_the_marks():
    text = "<script>alert(1)</script> Mme Dupont"
    html = highlight(text, detect(text))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert '<mark title="Nom et prénom">Mme Dupont</mark>' in html


@pytest.fixture
def demo(db):
    demo_load()
    return Contrat.objects.get(departement__code="23")


def test_a_fiche_with_personal_data_is_refused_until_confirmed_and_the_confirmation_is_logged(
    client, demo
):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    url = f"/contrats/{demo.pk}/fiches/2/modifier/"
    data = _form_data(client, url)
    data["constat"] = "Mme Dupont, née le 12/03/2015, a été suivie."
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Données personnelles possibles" in page
    assert "<mark" in page and "Mme Dupont</mark>" in page
    assert demo.fiches.get(numero=2).constat != data["constat"]

    data["confirm_personal_data"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    assert demo.fiches.get(numero=2).constat == data["constat"]
    confirmation = PersonalDataConfirmation.objects.get()
    assert confirmation.user.email == "pilote.cd@demo.pilotage.test"
    assert confirmation.field == "constat"
    assert confirmation.kinds == ["date_naissance", "nom"]


def test_a_releve_with_a_phone_number_is_refused_until_rephrased(client, demo):
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    fiche = demo.fiches.get(numero=1)
    url = f"/contrats/{demo.pk}/fiches/1/releves/nouveau/"
    data = {
        "indicateur": fiche.indicateurs.get(nature="qualitatif").pk,
        "date_observation": "2026-11-02",
        "situation": "Permanence PMI",
        "questions": "Les familles sont-elles orientées ?",
        "faits": "La mère a laissé son numéro : 06 12 34 56 78.",
    }
    assert client.post(url, data).status_code == 400
    data["faits"] = "La mère a laissé ses coordonnées au secrétariat."
    assert client.post(url, data).status_code == 302
    assert PersonalDataConfirmation.objects.count() == 0


def test_list_rows_of_a_fiche_are_checked_too(client, demo):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    url = f"/contrats/{demo.pk}/fiches/2/modifier/"
    data = _form_data(client, url)
    data["points_vigilance-0-libelle"] = "Refus de Mme Martin (06 12 34 56 78)"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Points de vigilance (ligne 1)" in response.content.decode()
    data["confirm_personal_data"] = "on"
    assert client.post(url, data).status_code == 302
    assert PersonalDataConfirmation.objects.get().field == "points_vigilance-1-libelle"


def test_a_validation_comment_with_personal_data_must_be_confirmed(client, demo):
    from pilotage.suivi.models import Releve

    releve = Releve.objects.get(statut="valide")
    client.login(username="validateur@demo.pilotage.test", password=DEMO_PASSWORD)
    url = f"/contrats/{demo.pk}/releves/{releve.pk}/"
    comment = "Retirer le nom de Mme Durand"
    response = client.post(url, {"action": "renvoyer", "commentaire": comment})
    assert response.status_code == 400
    assert "Données personnelles possibles" in response.content.decode()
    releve.refresh_from_db()
    assert releve.statut == "valide"
    response = client.post(
        url, {"action": "renvoyer", "commentaire": comment, "confirm_personal_data": "on"}
    )
    assert response.status_code == 302
    releve.refresh_from_db()
    assert releve.statut == "brouillon"
    assert PersonalDataConfirmation.objects.get().field == "commentaire"
