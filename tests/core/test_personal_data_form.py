"""Garde-fou « données personnelles » dans les formulaires : le mixin, la fiche action
(rubriques et lignes des listes, création et modification), les relevés ; la trace des
confirmations."""

import pytest
from django import forms

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.core.forms import PERSONAL_DATA_ERROR, DsfrForm, PersonalDataCheckMixin
from pilotage.core.models import PersonalDataConfirmation
from pilotage.core.personal_data import detect
from pilotage.core.services import personal_data_confirmation_record
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.referentiel.models import Objectif
from tests.contrats.helpers import fiche_post_data
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

FLAGGED = "Mme Dupont, née le 12/03/2015, a été suivie."


class NoteForm(PersonalDataCheckMixin, DsfrForm):
    personal_data_fields = ["texte"]
    texte = forms.CharField(label="Texte", widget=forms.Textarea)


# --- le mixin ---------------------------------------------------------------------


def test_a_clean_text_passes_and_the_confirmation_box_stays_hidden_and_empty():
    form = NoteForm({"texte": "Atelier parents à Guéret", "confirm_personal_data": "on"})
    assert form.is_valid()
    assert form.personal_data_findings == {} and form.personal_data_confirmed == {}
    html = str(form["confirm_personal_data"])
    assert 'type="hidden"' in html and "value=" not in html  # aucune confirmation reportée


def test_a_flagged_text_is_refused_with_its_passages_highlighted():
    form = NoteForm({"texte": FLAGGED})
    assert not form.is_valid()
    assert form.non_field_errors() == [PERSONAL_DATA_ERROR]
    assert form.other_non_field_errors() == []
    label, findings, html = form.personal_data_findings["texte"]
    assert label == "Texte"
    assert [f.kind for f in findings] == ["nom", "date_naissance"]
    assert '<mark title="Nom et prénom">Mme Dupont</mark>' in html
    assert 'type="checkbox"' in str(form["confirm_personal_data"])
    assert form.personal_data_confirmed == {}


def test_a_confirmed_text_passes_and_lists_what_the_view_must_record():
    form = NoteForm({"texte": FLAGGED, "confirm_personal_data": "on"})
    assert form.is_valid()
    assert form.personal_data_findings == {}
    assert [f.excerpt for f in form.personal_data_confirmed["texte"]] == [
        "Mme Dupont",
        "née le 12/03/2015",
    ]


def test_the_confirmation_service_keeps_kinds_and_short_excerpts(db):
    user = UserFactory()
    text = "Mme Dupont" + "-Durand" * 20
    confirmation = personal_data_confirmation_record(
        user=user, target=None, field="texte", findings=detect(text)
    )
    confirmation.refresh_from_db()
    assert confirmation.user == user and confirmation.target is None
    assert confirmation.kinds == ["nom"]
    assert len(confirmation.excerpts[0]) == 80


# --- la fiche action --------------------------------------------------------------


@pytest.fixture
def fiche(db):
    contrat = ContratFactory()
    return make_fiche(contrat)


@pytest.fixture
def pilote(client, fiche):
    user = UserFactory()
    grant(user, fiche.contrat)
    client.force_login(user)
    return user


def edit_url(fiche: FicheAction) -> str:
    return f"/contrats/{fiche.contrat_id}/fiches/{fiche.numero}/modifier/"


def test_the_post_helper_saves_a_fiche_unchanged(client, fiche, pilote):
    response = client.post(edit_url(fiche), fiche_post_data(fiche))
    assert response.status_code == 302
    assert FicheAction.objects.get(pk=fiche.pk).version == fiche.version  # rien n'a changé
    assert not PersonalDataConfirmation.objects.exists()


def test_a_fiche_is_refused_until_the_author_confirms_and_the_confirmation_is_recorded(
    client, fiche, pilote
):
    data = fiche_post_data(fiche, constat=FLAGGED)
    response = client.post(edit_url(fiche), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="donnees-personnelles"' in page and "fr-alert--warning" in page
    assert '<mark title="Nom et prénom">Mme Dupont</mark>' in page
    assert '<mark title="Date de naissance">née le 12/03/2015</mark>' in page
    assert "ne permettent pas d&#x27;identifier une personne" in page  # la case à cocher
    assert page.count("Ces passages ressemblent à des données personnelles") == 1
    saved = FicheAction.objects.get(pk=fiche.pk)
    assert (saved.constat, saved.version) == (fiche.constat, fiche.version)
    assert not PersonalDataConfirmation.objects.exists()

    data["confirm_personal_data"] = "on"
    response = client.post(edit_url(fiche), data)
    assert response.status_code == 302
    assert FicheAction.objects.get(pk=fiche.pk).constat == FLAGGED
    confirmation = PersonalDataConfirmation.objects.get()
    assert confirmation.user == pilote
    assert confirmation.target == fiche
    assert confirmation.field == "constat"
    assert confirmation.kinds == ["date_naissance", "nom"]
    assert confirmation.excerpts == ["Mme Dupont", "née le 12/03/2015"]


def test_a_reformulated_fiche_is_saved_without_confirmation(client, fiche, pilote):
    data = fiche_post_data(fiche, constat=FLAGGED)
    assert client.post(edit_url(fiche), data).status_code == 400
    data["constat"] = "Une mère de trois enfants a été suivie."
    assert client.post(edit_url(fiche), data).status_code == 302
    assert not PersonalDataConfirmation.objects.exists()


def test_rows_of_the_lists_are_checked_with_the_main_fields_under_one_warning(
    client, fiche, pilote
):
    data = fiche_post_data(
        fiche,
        description="Appeler le 06 12 34 56 78",
        **{
            "acteurs-0-nom": "Famille de Kevin DURAND",
            "points_vigilance-0-libelle": "Refus de Mme Martin",
        },
    )
    response = client.post(edit_url(fiche), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Ces passages ressemblent à des données personnelles") == 1
    assert "Identification des acteurs à mobiliser (ligne 1) – Acteur</dt>" in page
    assert "Points de vigilance (ligne 1)</dt>" in page
    assert '<mark title="Numéro de téléphone">06 12 34 56 78</mark>' in page
    assert fiche.acteurs.filter(nom__contains="DURAND").count() == 0

    data["confirm_personal_data"] = "on"
    assert client.post(edit_url(fiche), data).status_code == 302
    assert fiche.acteurs.filter(nom="Famille de Kevin DURAND").exists()
    assert set(PersonalDataConfirmation.objects.values_list("field", flat=True)) == {
        "description",
        "acteurs-1-nom",
        "points_vigilance-1-libelle",
    }


def test_a_row_marked_for_deletion_is_not_checked(client, fiche, pilote):
    data = fiche_post_data(
        fiche,
        **{"acteurs-0-nom": "Kevin DURAND", "acteurs-0-DELETE": "on"},
    )
    assert client.post(edit_url(fiche), data).status_code == 302
    assert not fiche.acteurs.filter(nom__contains="DURAND").exists()


def test_other_errors_are_reported_together_with_the_warning(client, fiche, pilote):
    data = fiche_post_data(fiche, constat=FLAGGED, etat="abandonnee", motif_abandon="")
    response = client.post(edit_url(fiche), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Indiquez le motif de l&#x27;abandon de l&#x27;action." in page
    assert 'id="donnees-personnelles"' in page


def test_the_warning_escapes_what_the_author_typed(client, fiche, pilote):
    data = fiche_post_data(fiche, constat="<script>alert(1)</script> Mme Dupont")
    page = client.post(edit_url(fiche), data).content.decode()
    assert "<script>alert(1)" not in page
    assert '&lt;script&gt;alert(1)&lt;/script&gt; <mark title="Nom et prénom">' in page


def test_a_new_fiche_confirmed_by_its_author_records_the_confirmation_on_it(client, fiche, pilote):
    objectif = Objectif.objects.get(generation=fiche.contrat.generation, numero=1)
    data = {
        "numero": "2",
        "titre": "Visites à domicile",
        "objectifs": [str(objectif.pk)],
        "etat": "non_demarree",
        "constat": "Demande de la famille Benali.",
        "confirm_personal_data": "on",
    }
    for prefix in ("acteurs", "financements", "jalons", "indicateurs", "points_vigilance"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(f"/contrats/{fiche.contrat_id}/fiches/nouvelle/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    created = FicheAction.objects.get(contrat=fiche.contrat, numero=2)
    confirmation = PersonalDataConfirmation.objects.get()
    assert (confirmation.target, confirmation.field) == (created, "constat")


# --- les 17 fiches publiées de la Creuse et les relevés (démonstration) -----------


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def test_every_creuse_fiche_goes_through_the_form_without_warning(client, demo):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    fiches = list(demo.fiches.order_by("numero"))
    assert len(fiches) == 17
    for fiche in fiches:
        response = client.post(edit_url(fiche), fiche_post_data(fiche))
        assert response.status_code == 302, (fiche.numero, response.content.decode()[:2000])
    assert not PersonalDataConfirmation.objects.exists()


def test_a_releve_with_a_phone_number_is_refused_until_rephrased(client, demo):
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    fiche = demo.fiches.get(numero=1)
    url = f"/contrats/{demo.pk}/fiches/1/releves/nouveau/"
    data = {
        "indicateur": fiche.indicateurs.filter(nature="qualitatif").first().pk,
        "date_observation": "2026-11-02",
        "situation": "Permanence PMI",
        "questions": "Les familles sont-elles orientées ?",
        "faits": "La mère a laissé son numéro : 06 12 34 56 78.",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert '<mark title="Numéro de téléphone">06 12 34 56 78</mark>' in response.content.decode()
    data["faits"] = "La mère a laissé ses coordonnées au secrétariat."
    assert client.post(url, data).status_code == 302
    assert not PersonalDataConfirmation.objects.exists()


def test_a_validation_comment_with_personal_data_must_be_confirmed(client, demo):
    from pilotage.suivi.models import Releve

    releve = Releve.objects.filter(fiche__contrat=demo, statut="valide").first()
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
