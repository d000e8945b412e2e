"""Lecture en tâche de fond d'un PDF déposé pour l'import : états de la lecture, page
d'attente suivie en HTMX qui devient l'aperçu, refus et échec avec leurs messages,
« Réessayer », moteur `immediate` (tests, petites installations)."""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from weasyprint import HTML

from pilotage.contrats.models import FicheAction
from pilotage.documents import depots, importer, lectures, tasks
from pilotage.documents.importer import errors
from pilotage.documents.models import DocumentImporte
from tests.documents.docx_builder import FicheSpec, build_docx
from tests.factories import ContratFactory, UserFactory, grant
from tests.htmx import assert_htmx_swap_matches_full_render, parse_page

pytestmark = pytest.mark.django_db

Statut = DocumentImporte.Statut
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "lecture"}

FICHE_PDF = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><style>
body { font-family: "DejaVu Sans", sans-serif; font-size: 10pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #000; padding: 4pt; text-align: left; vertical-align: top; }
</style></head><body>
<p>OBJECTIF N°4 (obligatoire)</p><p>FICHE ACTION N°7</p>
<p>Créer un accueil de jour pour les adolescents en rupture</p>
<table>
<tr><th>Département concerné</th><td>Conseil départemental de la Creuse</td></tr>
<tr><th>Référent (personne ou institution)</th><td>Direction de l'enfance</td></tr>
<tr><th>Points de vigilance</th><td>Recrutement des éducateurs</td></tr>
</table></body></html>"""

#: Un fichier nommé .pdf et commençant comme un PDF, mais illisible.
PDF_ENDOMMAGE = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R\nendobj\ntrailer\n%%EOF"


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return HTML(string=FICHE_PDF).write_pdf()


@pytest.fixture
def contrat():
    return ContratFactory()


@pytest.fixture
def pilote(contrat):
    user = UserFactory()
    grant(user, contrat)
    return user


@pytest.fixture
def connecte(client, pilote):
    client.force_login(pilote)
    return client


def _deposer(contrat, pilote, data, nom="fiches.pdf", capture=None):
    if capture is None:
        return depots.document_deposer(contrat=contrat, user=pilote, filename=nom, data=data)
    with capture(execute=True):
        return depots.document_deposer(contrat=contrat, user=pilote, filename=nom, data=data)


def _page(contrat, document) -> str:
    return reverse("documents:import_preview", args=[contrat.pk, document.pk])


def _sonde(page) -> str:
    return parse_page(page).xpath("//section[@id='lecture']")[0].get("hx-get")


# -- états de la lecture ----------------------------------------------------------------


def test_a_pdf_is_kept_to_read_and_read_by_the_worker_into_an_analysed_document(
    contrat, pilote, pdf, tasks_worker, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, pdf, capture=django_capture_on_commit_callbacks)
    assert (document.statut, document.lecture) == (Statut.A_LIRE, None)
    assert document.en_route

    tasks_worker()

    document.refresh_from_db()
    assert document.statut == Statut.ANALYSE
    [fiche] = lectures.depaqueter(document.lecture).fiches
    assert (fiche.numero, fiche.titre) == (
        7,
        "Créer un accueil de jour pour les adolescents en rupture",
    )


def test_a_small_word_document_is_read_during_the_upload_and_kept_analysed(contrat, pilote):
    data = build_docx([FicheSpec(numero=3, titre="Développer l'accueil familial")])
    document = _deposer(contrat, pilote, data, nom="fiches.docx")
    assert document.statut == Statut.ANALYSE
    assert [f.numero for f in lectures.depaqueter(document.lecture).fiches] == [3]


def test_a_large_word_document_is_read_in_the_background(contrat, pilote, monkeypatch):
    monkeypatch.setattr(lectures, "SEUIL_FOND", 100)
    data = build_docx([FicheSpec(numero=3, titre="Développer l'accueil familial")])
    assert _deposer(contrat, pilote, data, nom="fiches.docx").statut == Statut.A_LIRE


def test_a_document_is_read_only_once_even_if_the_task_is_queued_twice(
    contrat, pilote, pdf, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, pdf, capture=django_capture_on_commit_callbacks)
    assert DocumentImporte.objects.get(pk=document.pk).statut == Statut.ANALYSE
    with mock.patch.object(importer, "parse_document") as parse:
        assert tasks.document_lire.call(document.pk) == 0
    parse.assert_not_called()


def test_a_damaged_pdf_is_refused_with_the_message_of_the_analysis(
    contrat, pilote, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, PDF_ENDOMMAGE, capture=django_capture_on_commit_callbacks)
    document.refresh_from_db()
    assert document.etat == Statut.REFUSE
    assert document.message_echec == " ".join(errors.PDF_CORRUPT.split())
    assert not document.en_route


def test_an_unexpected_error_leaves_a_failure_that_can_be_read_again(
    contrat, pilote, pdf, tasks_worker, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, pdf, capture=django_capture_on_commit_callbacks)
    with mock.patch.object(lectures, "lire", side_effect=RuntimeError("disque plein")):
        tasks_worker()
    document.refresh_from_db()
    assert (document.etat, document.message_echec) == (Statut.ECHEC, tasks.MESSAGE_ECHEC)

    with django_capture_on_commit_callbacks(execute=True):
        document = depots.document_relire(document=document, user=pilote)
    assert (document.statut, document.message) == (Statut.A_LIRE, "")
    tasks_worker()
    document.refresh_from_db()
    assert document.statut == Statut.ANALYSE


def test_a_reading_stuck_too_long_is_a_failure_and_one_in_progress_is_not_relaunched(
    contrat, pilote, pdf, tasks_worker, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, pdf, capture=django_capture_on_commit_callbacks)
    assert depots.document_relire(document=document, user=pilote).statut == Statut.A_LIRE
    DocumentImporte.objects.filter(pk=document.pk).update(
        statut=Statut.EN_LECTURE,
        lecture_commencee_le=timezone.now() - DocumentImporte.DUREE_MAX - datetime.timedelta(1),
    )
    document.refresh_from_db()
    assert (document.en_route, document.etat) == (False, Statut.ECHEC)
    assert "service des tâches de fond" in document.message_echec


def test_a_kept_reading_whose_signature_does_not_match_is_not_unpickled():
    paquet = lectures.empaqueter(importer.ImportResult())
    assert lectures.depaqueter(paquet) == importer.ImportResult()
    assert lectures.depaqueter(b"0" * 64 + paquet[64:]) is None
    assert lectures.depaqueter(None) is None


def test_only_a_pilot_may_upload_or_read_again(contrat, pdf):
    lecteur = UserFactory()
    grant(lecteur, contrat, role="lecteur")
    with pytest.raises(PermissionDenied):
        depots.document_deposer(contrat=contrat, user=lecteur, filename="f.pdf", data=pdf)
    assert not DocumentImporte.objects.exists()
    document = depots.document_store(contrat=contrat, user=None, filename="f.pdf", data=pdf)
    with pytest.raises(PermissionDenied):
        depots.document_relire(document=document, user=lecteur)


# -- parcours par les vues --------------------------------------------------------------


def test_with_the_immediate_backend_the_upload_leads_to_the_preview_and_the_import(
    connecte, contrat, pdf, django_capture_on_commit_callbacks
):
    with mock.patch.object(importer, "parse_document", wraps=importer.parse_document) as parse:
        with django_capture_on_commit_callbacks(execute=True):
            upload = connecte.post(
                reverse("documents:import_upload", args=[contrat.pk]),
                {"fichier": SimpleUploadedFile("deliberation.pdf", pdf)},
            )
        preview = connecte.get(upload["Location"])
        assert "<h1>Vérifier l'import</h1>" in preview.content.decode()
        done = connecte.post(upload["Location"], {"action": "confirmer"})
    assert done.status_code == 302
    assert parse.call_count == 1
    assert FicheAction.objects.filter(contrat=contrat, numero=7).exists()
    assert DocumentImporte.objects.get().lecture is None  # effacée une fois importé


def test_the_waiting_page_follows_the_reading_then_becomes_the_preview(
    connecte, contrat, pilote, pdf, tasks_worker, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, pdf, capture=django_capture_on_commit_callbacks)
    attente = connecte.get(_page(contrat, document))
    contenu = attente.content.decode()
    assert "<h1>Lecture du document</h1>" in contenu
    assert 'hx-trigger="every 2s"' in contenu
    assert 'role="status"' in contenu and "<progress" in contenu
    assert f'href="{_page(contrat, document)}">Actualiser' in contenu
    assert connecte.get(_sonde(attente), **HTMX).status_code == 204  # rien n'a changé
    # Une confirmation envoyée avant la fin de la lecture n'importe rien.
    assert connecte.post(_page(contrat, document), {"action": "confirmer"}).status_code == 302
    assert not FicheAction.objects.filter(contrat=contrat).exists()

    tasks_worker()

    fin = connecte.get(_sonde(attente), **HTMX)
    assert fin.headers["HX-Refresh"] == "true"  # le navigateur recharge : c'est l'aperçu
    assert "Vérifier l'import" in connecte.get(_page(contrat, document)).content.decode()


def test_a_refused_pdf_shows_its_french_message_on_the_waiting_page(
    connecte, contrat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        upload = connecte.post(
            reverse("documents:import_upload", args=[contrat.pk]),
            {"fichier": SimpleUploadedFile("scan.pdf", PDF_ENDOMMAGE)},
        )
    page = connecte.get(upload["Location"]).content.decode()
    assert "Document refusé" in page
    assert "Ce PDF est endommagé ou illisible" in page
    assert reverse("documents:import_upload", args=[contrat.pk]) in page
    assert "every 2s" not in page


def test_a_word_document_refused_at_upload_shows_the_error_in_the_form(connecte, contrat):
    response = connecte.post(
        reverse("documents:import_upload", args=[contrat.pk]),
        {"fichier": SimpleUploadedFile("fiches.docx", b"PK\x03\x04pas une archive")},
    )
    assert response.status_code == 400
    assert "endommagé" in response.content.decode()
    assert not DocumentImporte.objects.exists()


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused_in_the_form_as_before(
    connecte, contrat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = connecte.post(
            reverse("documents:import_upload", args=[contrat.pk]),
            {"fichier": SimpleUploadedFile("fiches.pdf", b"PK\x03\x04 un document Word")},
        )
    assert response.status_code == 400
    assert " ".join(errors.NOT_PDF.split()) in response.content.decode().replace("&#x27;", "'")
    assert not DocumentImporte.objects.exists() and not callbacks


def test_the_waiting_page_is_refused_to_a_reader_of_the_contract(client, contrat, pilote, pdf):
    document = _deposer(contrat, pilote, pdf)
    lecteur = UserFactory()
    grant(lecteur, contrat, role="lecteur")
    client.force_login(lecteur)
    assert client.get(_page(contrat, document)).status_code == 403
    relire = reverse("documents:import_relire", args=[contrat.pk, document.pk])
    assert client.post(relire).status_code == 403


# -- fragments HTMX ---------------------------------------------------------------------


def test_the_polled_fragment_of_a_failed_reading_gives_the_full_page(
    connecte, contrat, pilote, pdf, tasks_worker, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, pdf, capture=django_capture_on_commit_callbacks)
    attente = connecte.get(_page(contrat, document))
    with mock.patch.object(lectures, "lire", side_effect=RuntimeError("disque plein")):
        tasks_worker()
    fragment = connecte.get(_sonde(attente), **HTMX)
    assert "Réessayer" in fragment.content.decode()
    assert_htmx_swap_matches_full_render(
        attente, "#lecture", fragment, connecte.get(_page(contrat, document))
    )


def test_retry_fragment_gives_the_full_waiting_page(
    connecte, contrat, pilote, pdf, tasks_worker, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, pdf, capture=django_capture_on_commit_callbacks)
    with mock.patch.object(lectures, "lire", side_effect=RuntimeError("disque plein")):
        tasks_worker()
    echec = connecte.get(_page(contrat, document))
    relire = reverse("documents:import_relire", args=[contrat.pk, document.pk])
    with django_capture_on_commit_callbacks(execute=True):
        fragment = connecte.post(relire, **HTMX)
    assert_htmx_swap_matches_full_render(
        echec, "//form[@hx-post]", fragment, connecte.get(_page(contrat, document))
    )
    assert 'hx-trigger="every 2s"' in fragment.content.decode()


def test_retry_without_javascript_returns_to_the_page(
    connecte, contrat, pilote, pdf, tasks_worker, django_capture_on_commit_callbacks
):
    document = _deposer(contrat, pilote, pdf, capture=django_capture_on_commit_callbacks)
    with mock.patch.object(lectures, "lire", side_effect=RuntimeError("disque plein")):
        tasks_worker()
    relire = reverse("documents:import_relire", args=[contrat.pk, document.pk])
    response = connecte.post(relire)
    assert response["Location"] == _page(contrat, document)


def test_the_waiting_page_and_its_polling_have_a_bounded_number_of_queries(
    connecte, contrat, pilote, pdf, django_assert_max_num_queries
):
    document = _deposer(contrat, pilote, pdf)  # file non exécutée : à lire
    with django_assert_max_num_queries(12):
        attente = connecte.get(_page(contrat, document))
    with django_assert_max_num_queries(8):
        assert connecte.get(_sonde(attente), **HTMX).status_code == 204
