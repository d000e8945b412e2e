"""Un texte démesuré déjà en base (2 Mo, enregistré avant les plafonds des textes libres)
dans une décision, une note de séance, un relevé ou une rubrique de la fiche : le
dossier, le compte rendu (PDF et Word) et la vue calendaire en PDF restent rendus en
quelques secondes et signalent la coupure par « [texte tronqué…] ».

Pas de chronomètre (la machine de test peut être chargée) : le document rendu est
borné, bien plus court que le texte démesuré, ce qui n'est vrai qu'avec la coupure
(sans elle, le rendu prenait des minutes)."""

import io

import docx
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.reunions.documents.content import compte_rendu_content, dossier_content
from pilotage.reunions.documents.docx import compte_rendu_docx, dossier_docx
from pilotage.reunions.documents.pdf import compte_rendu_pdf, dossier_pdf
from pilotage.reunions.models import Decision, NoteSeance, Reunion
from pilotage.suivi.models import Releve
from tests.pdf import pdf_pages

HUGE = ("Une phrase d'une note démesurée, répétée. " * 40 + "\n\n") * 1200
MARK = "[texte tronqué"


@pytest.fixture
def huge(demo_data):
    """Une décision, une note de séance, un relevé et une rubrique de la fiche n°1 de la
    Creuse gonflés à plus de 2 Mo."""
    assert len(HUGE) > 2_000_000
    contrat = Contrat.objects.get(departement__code="23", generation__code="2025-2027")
    figee = contrat.reunions.get(statut=Reunion.Statut.FIGEE)
    decision = Decision.objects.filter(point__reunion=figee).order_by("pk").first()
    Decision.objects.filter(pk=decision.pk).update(texte=HUGE)
    note = NoteSeance.objects.filter(point__reunion=figee).exclude(texte="").order_by("pk").first()
    NoteSeance.objects.filter(pk=note.pk).update(texte=HUGE, texte_partage=HUGE)
    releve = Releve.objects.filter(fiche__contrat=contrat, statut="partage").order_by("pk").first()
    Releve.objects.filter(pk=releve.pk).update(faits=HUGE)
    FicheAction.objects.filter(contrat=contrat, numero=1).update(description=HUGE, constat=HUGE)
    return contrat


def _bounded(text: str) -> str:
    """Le texte du document, dont on vérifie qu'il a été coupé bien avant 2 Mo."""
    assert len(text) < len(HUGE) // 4
    return text


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([*cells, *(p.text for p in document.paragraphs)])


def test_the_minutes_with_2_mb_notes_and_decisions_render_quickly_and_say_truncated(huge):
    figee = huge.reunions.get(statut=Reunion.Statut.FIGEE)
    content = compte_rendu_content(figee, viewer=None)
    assert MARK in _bounded(" ".join(pdf_pages(compte_rendu_pdf(content))))
    assert MARK in _bounded(_docx_text(compte_rendu_docx(content)))


def test_the_preparation_file_with_2_mb_decisions_and_releves_renders_quickly(huge):
    prevue = huge.reunions.get(statut=Reunion.Statut.PLANIFIEE)
    lecteur = get_user_model().objects.get(email="lecteur@demo.pilotage.test")
    content = dossier_content(prevue, viewer=lecteur)
    assert MARK in _bounded(" ".join(pdf_pages(dossier_pdf(content))))
    assert MARK in _bounded(_docx_text(dossier_docx(content)))


def test_the_calendar_pdf_of_a_fiche_with_2_mb_rubriques_renders_quickly(client, huge):
    assert client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    address = reverse("reunions:fiche_calendrier_pdf", args=[huge.pk, 1])
    response = client.get(address)
    assert response.status_code == 200
    assert MARK in _bounded(" ".join(pdf_pages(response.content)))
