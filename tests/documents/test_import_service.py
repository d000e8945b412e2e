"""Application d'un document analysé au contrat : création, mise à jour, aperçu, historique."""

import pytest

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.core.models import Revision
from pilotage.demo.services import DEMO_PASSWORD, demo_load
from pilotage.documents.importer import parse_document
from pilotage.documents.models import DocumentImporte
from pilotage.documents.services import fiches_import
from tests.documents.docx_builder import build_creuse_docx
from tests.factories import ContratFactory, UserFactory, grant


@pytest.fixture(scope="module")
def creuse_docx():
    return build_creuse_docx()


@pytest.fixture
def empty_contrat(db):
    return ContratFactory()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _result(data):
    return parse_document(data, filename="fiches-creuse.docx")


def test_importing_the_creuse_document_creates_the_17_fiches_with_their_amounts(
    empty_contrat, creuse_docx, media
):
    outcome = fiches_import(
        contrat=empty_contrat,
        result=_result(creuse_docx),
        user=None,
        filename="fiches-creuse.docx",
        data=creuse_docx,
    )
    assert outcome.counts == {"creation": 17, "mise_a_jour": 0, "inchangee": 0}
    fiche = empty_contrat.fiches.get(numero=1)
    assert [(f.financeur, int(f.montant), f.valorisation) for f in fiche.financements.all()] == [
        ("etat", 14574, False),
        ("cd", 14574, True),
    ]
    assert sorted(
        empty_contrat.fiches.get(numero=8).objectifs.values_list("numero", flat=True)
    ) == [13, 14]


def test_dry_run_shows_the_changes_and_saves_nothing(empty_contrat, creuse_docx, media):
    outcome = fiches_import(
        contrat=empty_contrat,
        result=_result(creuse_docx),
        user=None,
        filename="fiches-creuse.docx",
        data=creuse_docx,
        dry_run=True,
    )
    assert outcome.counts["creation"] == 17
    assert any(c.label == "Titre de la fiche" for c in outcome.fiches[0].changes)
    assert FicheAction.objects.count() == 0
    assert Revision.objects.count() == 0
    assert DocumentImporte.objects.count() == 0


def test_reimporting_the_same_document_changes_nothing(empty_contrat, creuse_docx, media):
    result = _result(creuse_docx)
    fiches_import(contrat=empty_contrat, result=result, user=None, filename="a.docx")
    versions = list(empty_contrat.fiches.values_list("version", flat=True))
    revisions = Revision.objects.count()
    outcome = fiches_import(contrat=empty_contrat, result=result, user=None, filename="a.docx")
    assert outcome.counts == {"creation": 0, "mise_a_jour": 0, "inchangee": 17}
    assert list(empty_contrat.fiches.values_list("version", flat=True)) == versions
    assert Revision.objects.count() == revisions


def test_reimport_over_the_demo_matches_fiches_by_number_and_keeps_line_ids(db, creuse_docx, media):
    demo_load()
    contrat = Contrat.objects.get(departement__code="23")
    fiche = contrat.fiches.get(numero=1)
    indicator_ids = set(fiche.indicateurs.values_list("pk", flat=True))
    jalon_dates = list(fiche.jalons.values_list("date_prevue", flat=True))
    outcome = fiches_import(
        contrat=contrat, result=_result(creuse_docx), user=None, filename="fiches-creuse.docx"
    )
    assert outcome.counts["creation"] == 0
    fiche.refresh_from_db()
    assert set(fiche.indicateurs.values_list("pk", flat=True)) == indicator_ids
    assert list(fiche.jalons.values_list("date_prevue", flat=True)) == jalon_dates


def test_an_updated_document_shows_differences_and_records_the_import_in_the_history(
    empty_contrat, creuse_docx, media
):
    fiches_import(contrat=empty_contrat, result=_result(creuse_docx), user=None, filename="v1.docx")
    result = _result(creuse_docx)
    result.fiches[0].objectif_operationnel = "Maintien d'un poste complet de sage-femme"
    user = UserFactory()
    outcome = fiches_import(
        contrat=empty_contrat, result=result, user=user, filename="v2.docx", data=creuse_docx
    )
    assert outcome.counts["mise_a_jour"] == 1
    change = outcome.fiches[0].changes[0]
    assert change.label == "Objectif opérationnel"
    assert change.new_value == "Maintien d'un poste complet de sage-femme"
    fiche = empty_contrat.fiches.get(numero=1)
    revision = Revision.objects.for_object(fiche).first()
    assert revision.source == "import"
    assert revision.user == user
    assert "v2.docx" in revision.comment
    document = revision.documents_importes.get()
    assert document.nom_original == "v2.docx"
    assert document.statut == DocumentImporte.Statut.APPLIQUE


def test_a_failing_import_saves_nothing(empty_contrat, creuse_docx, media):
    result = _result(creuse_docx)
    result.fiches[5].titre = "x" * 600  # trop long : la fiche 6 est refusée
    with pytest.raises(Exception):  # noqa: B017 - toute erreur doit tout annuler
        fiches_import(contrat=empty_contrat, result=result, user=None, filename="a.docx", data=b"x")
    assert FicheAction.objects.count() == 0
    assert DocumentImporte.objects.count() == 0


# --- parcours web ----------------------------------------------------------


def _pilot_client(client, contrat):
    user = UserFactory()
    grant(user, contrat)
    client.force_login(user)
    return user


def test_pilot_uploads_previews_and_confirms_an_import(client, empty_contrat, creuse_docx, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _pilot_client(client, empty_contrat)
    upload = SimpleUploadedFile("fiches-creuse.docx", creuse_docx)
    response = client.post(f"/contrats/{empty_contrat.pk}/import/", {"fichier": upload})
    assert response.status_code == 302
    preview_url = response["Location"]
    page = client.get(preview_url).content.decode()
    assert "17 à créer" in page
    assert "Augmenter la réalisation des entretiens précoces prénataux" in page
    assert FicheAction.objects.count() == 0
    response = client.post(preview_url, {"action": "confirmer"})
    assert response.status_code == 302
    assert empty_contrat.fiches.count() == 17
    assert client.get(preview_url).status_code == 302  # déjà traité


def test_a_non_word_file_gets_a_french_message_and_nothing_is_kept(client, empty_contrat, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _pilot_client(client, empty_contrat)
    upload = SimpleUploadedFile("notes.docx", b"%PDF-1.7 pas un document Word")
    response = client.post(f"/contrats/{empty_contrat.pk}/import/", {"fichier": upload})
    assert response.status_code == 400
    assert "n&#x27;est pas un document Word" in response.content.decode()
    assert DocumentImporte.objects.count() == 0


def test_abandoning_an_import_changes_nothing(client, empty_contrat, creuse_docx, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _pilot_client(client, empty_contrat)
    response = client.post(
        f"/contrats/{empty_contrat.pk}/import/",
        {"fichier": SimpleUploadedFile("f.docx", creuse_docx)},
    )
    client.post(response["Location"], {"action": "abandonner"})
    assert FicheAction.objects.count() == 0
    assert DocumentImporte.objects.get().statut == DocumentImporte.Statut.ABANDONNE


@pytest.mark.parametrize("role", ["referent", "contributeur", "lecteur"])
def test_only_pilots_can_import(client, empty_contrat, role, media):
    user = UserFactory()
    grant(user, empty_contrat, role)
    client.force_login(user)
    assert client.get(f"/contrats/{empty_contrat.pk}/import/").status_code == 403


def test_a_user_of_another_departement_gets_404_on_import_and_on_imported_files(
    client, db, creuse_docx, media
):
    demo_load()
    creuse = Contrat.objects.get(departement__code="23")
    fiches_import(
        contrat=creuse, result=_result(creuse_docx), user=None, filename="f.docx", data=creuse_docx
    )
    doc = DocumentImporte.objects.get()
    client.login(username="pilote.41@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{creuse.pk}/import/").status_code == 404
    assert client.get(f"/contrats/{creuse.pk}/import/{doc.pk}/fichier").status_code == 404
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    response = client.get(f"/contrats/{creuse.pk}/import/{doc.pk}/fichier")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == creuse_docx


def test_actor_implication_is_read_back_only_for_known_actors(db):
    from pilotage.documents.services import _acteur_row

    assert _acteur_row("UDAF – pour la formation", ["UDAF"]) == {
        "nom": "UDAF",
        "implication": "pour la formation",
    }
    assert _acteur_row("Agents ASE – MDA POLARIS", []) == {
        "nom": "Agents ASE – MDA POLARIS",
        "implication": "",
    }


def test_preview_shows_the_figures_read_in_indicators(client, empty_contrat, creuse_docx, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _pilot_client(client, empty_contrat)
    response = client.post(
        f"/contrats/{empty_contrat.pk}/import/",
        {"fichier": SimpleUploadedFile("f.docx", creuse_docx)},
    )
    page = client.get(response["Location"]).content.decode()
    assert "Chiffres lus dans les indicateurs" in page
    assert "<strong>51</strong> sur 747" in page


def test_preview_marks_the_changed_words_of_a_long_text(client, empty_contrat, creuse_docx, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pilotage.contrats.services import fiche_update

    fiches_import(contrat=empty_contrat, result=_result(creuse_docx), user=None, filename="v1.docx")
    fiche = empty_contrat.fiches.get(numero=1)
    texte = fiche.objectif_operationnel
    mot = texte.split()[2]
    fiche_update(
        fiche=fiche,
        user=None,
        expected_version=fiche.version,
        fields={"objectif_operationnel": texte.replace(mot, "Remplacé", 1)},
    )
    _pilot_client(client, empty_contrat)
    upload = SimpleUploadedFile("fiches-creuse.docx", creuse_docx)
    response = client.post(f"/contrats/{empty_contrat.pk}/import/", {"fichier": upload})
    page = client.get(response["Location"]).content.decode()
    assert "1 à mettre à jour" in page
    assert '<span class="fr-sr-only">[supprimé : </span>Remplacé<span' in page
    assert f'<span class="fr-sr-only">[ajouté : </span>{mot}<span' in page


def test_each_fiche_read_gets_a_confidence_score_of_the_expected_fields(creuse_docx):
    fiche = _result(creuse_docx).fiches[0]
    assert fiche.confiance().libelle == "11 champs sur 11 reconnus"
    fiche.constat = " "
    fiche.calendrier, fiche.calendrier_texte = [], ""
    score = fiche.confiance()
    assert (score.reconnus, score.attendus, score.manquants) == (9, 11, ("constat", "calendrier"))
    assert score.libelle == "9 champs sur 11 reconnus"


def test_preview_shows_the_confidence_badge_and_a_confirm_button_counting_the_fiches(
    client, empty_contrat, media
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.docx_builder import FicheSpec, build_docx
    from tests.htmx import parse_page

    _pilot_client(client, empty_contrat)
    data = build_docx([FicheSpec(numero=1), FicheSpec(numero=2, constat=[], acteurs=[])])
    response = client.post(
        f"/contrats/{empty_contrat.pk}/import/", {"fichier": SimpleUploadedFile("f.docx", data)}
    )
    page = parse_page(client.get(response["Location"]))
    badges = {
        section.get("id"): section.xpath('string(.//p[contains(@class, "confiance")])').strip()
        for section in page.xpath('//section[contains(@class, "apercu-fiche")]')
    }
    assert badges == {
        "apercu-fiche-1": "11 champs sur 11 reconnus",
        "apercu-fiche-2": "9 champs sur 11 reconnus",
    }
    [missing] = page.xpath('//section[@id="apercu-fiche-2"]//p[contains(., "à vérifier")]')
    assert "constat, acteurs" in missing.text_content()
    [button] = page.xpath('//button[@value="confirmer"]')
    assert button.text_content().strip() == "Importer 2 fiches"
