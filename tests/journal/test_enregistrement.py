"""Chaque page ou téléchargement d'un contrat inscrit une ligne au journal des accès : qui,
quoi, quand. Sur la démonstration de la Creuse (fiches, réunions, compte rendu figé)."""

import pytest
from django.core.files.base import ContentFile

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.documents.models import DocumentImporte
from pilotage.journal.models import Acces
from pilotage.reunions.models import Reunion
from pilotage.suivi.models import Releve, Trace

LECTEUR = "lecteur@demo.pilotage.test"


@pytest.fixture
def creuse(demo_data):
    return Contrat.objects.get(departement__code="23", generation__code="2025-2027")


@pytest.fixture
def lecteur(client, creuse):
    assert client.login(username=LECTEUR, password=DEMO_PASSWORD)
    Acces.objects.all().delete()  # la démonstration n'a pas de journal ; par sûreté
    return creuse.habilitations.get(user__email=LECTEUR).user


def _reunions(creuse):
    figee = creuse.reunions.get(statut=Reunion.Statut.FIGEE)
    prevue = creuse.reunions.filter(statut=Reunion.Statut.PLANIFIEE).first()
    return figee, prevue


def _only_entry(user) -> Acces:
    entries = list(Acces.objects.all())
    assert len(entries) == 1, [str(e) for e in entries]
    assert entries[0].user == user
    return entries[0]


def _pages(creuse):
    figee, prevue = _reunions(creuse)
    c, r, f = creuse.pk, prevue.pk, figee.pk
    fiche = creuse.fiches.get(numero=1)
    return [
        (f"/contrats/{c}/", "consultation", "Page du contrat"),
        (f"/contrats/{c}/fiches/1/", "consultation", f"Fiche 1 – {fiche.titre}"[:199]),
        (f"/contrats/{c}/export.json", "export", "Export JSON du contrat"),
        (f"/contrats/{c}/indicateurs.xlsx", "export", "Export XLSX des indicateurs du contrat"),
        (f"/contrats/{c}/fiches/1/export.docx", "export", "Export DOCX de la fiche 1"),
        (f"/contrats/{c}/fiches/export.odt", "export", "Export ODT des fiches du contrat"),
        (f"/contrats/{c}/reunions/{r}/dossier/", "consultation", f"Dossier de séance – {prevue}"),
        (
            f"/contrats/{c}/reunions/{r}/dossier.docx",
            "telechargement",
            f"Dossier de séance (DOCX) – {prevue}",
        ),
        (f"/contrats/{c}/reunions/{f}/compte-rendu/", "consultation", f"Compte rendu – {figee}"),
        (
            f"/contrats/{c}/reunions/{f}/compte-rendu.pdf",
            "telechargement",
            f"Compte rendu (PDF) – {figee}",
        ),
        (
            f"/contrats/{c}/reunions/{r}/compte-rendu.docx",
            "telechargement",
            f"Compte rendu (DOCX) – {prevue}",
        ),
        (f"/contrats/{c}/reunions.ics", "export", "Agenda des réunions du contrat (ICS)"),
        (f"/contrats/{c}/reunions/{r}/invitation.ics", "export", f"Agenda (ICS) – {prevue}"),
        (
            f"/contrats/{c}/fiches/1/calendrier.pdf",
            "export",
            "Export PDF du calendrier de la fiche 1",
        ),
    ]


PAGES = range(14)


@pytest.mark.parametrize("index", PAGES)
def test_each_page_and_download_writes_one_entry(client, creuse, lecteur, index):
    path, nature, objet = _pages(creuse)[index]
    response = client.get(path)
    response.close()  # une pièce servie en flux garde son fichier ouvert jusque-là
    assert response.status_code == 200, path
    entry = _only_entry(lecteur)
    assert (entry.nature, entry.objet, entry.chemin) == (nature, objet, path)
    assert entry.contrat == creuse
    assert entry.personne == f"{lecteur.get_full_name()} ({lecteur.email})"
    assert entry.institution_id == lecteur.institution_id
    assert entry.ip == "127.0.0.1"


def test_the_archived_minutes_download_is_recorded(client, creuse, lecteur):
    figee, _ = _reunions(creuse)
    assert figee.compte_rendu_pdf  # l'exemplaire validé, servi tel quel
    client.get(f"/contrats/{creuse.pk}/reunions/{figee.pk}/compte-rendu.docx").close()
    assert _only_entry(lecteur).objet == f"Compte rendu (DOCX) – {figee}"


def test_a_trace_download_is_recorded(client, creuse, lecteur):
    releve = Releve.objects.filter(fiche__contrat=creuse, statut="partage").first()
    trace = Trace(releve=releve, nom="entretien.pdf", taille=10)
    trace.fichier.save("entretien.pdf", ContentFile(b"%PDF-1.7 x"), save=True)
    response = client.get(f"/contrats/{creuse.pk}/releves/{releve.pk}/traces/{trace.pk}")
    response.close()
    assert response.status_code == 200
    entry = _only_entry(lecteur)
    assert (entry.nature, entry.objet) == ("telechargement", f"Pièce du relevé {releve.pk}")


def test_an_imported_document_download_is_recorded(client, creuse, lecteur):
    document = DocumentImporte(contrat=creuse, nom_original="fiches.docx", taille=4, empreinte="0")
    document.fichier.save("fiches.docx", ContentFile(b"PK\x03\x04"), save=True)
    response = client.get(f"/contrats/{creuse.pk}/import/{document.pk}/fichier")
    response.close()
    assert response.status_code == 200
    assert _only_entry(lecteur).objet == f"Document importé n°{document.pk}"


def test_filtering_the_fiches_in_place_is_not_a_new_consultation(client, creuse, lecteur):
    client.get(f"/contrats/{creuse.pk}/", {"etat": "en_cours"}, HTTP_HX_REQUEST="true")
    assert not Acces.objects.exists()


def test_a_refused_or_missing_page_writes_nothing(client, creuse, lecteur):
    assert client.get(f"/contrats/{creuse.pk}/fiches/999/").status_code == 404
    assert client.get(f"/contrats/{creuse.pk}/reunions/999999/dossier/").status_code == 404
    other = Contrat.objects.exclude(pk=creuse.pk).first()
    assert client.get(f"/contrats/{other.pk}/").status_code == 404
    assert not Acces.objects.exists()


def test_an_anonymous_visitor_writes_nothing(client, creuse):
    client.logout()
    assert client.get(f"/contrats/{creuse.pk}/").status_code == 302
    assert not Acces.objects.exists()
