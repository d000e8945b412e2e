"""Le tableur des valeurs désigne la fiche par son numéro affiché (« 13-1 ») et l'import
des valeurs le relit, comme le simple numéro : aller-retour sans perte."""

import io
from decimal import Decimal

import openpyxl
import pytest

from pilotage.documents.valeurs import appariement, lecture
from pilotage.suivi import spreadsheets
from pilotage.suivi.services import valeur_create
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db


@pytest.fixture
def contrat():
    contrat = ContratFactory()
    for numero, texte in ((13, "13-1"), (14, "13-2"), (2, "")):
        fiche = make_fiche(contrat, numero=numero)
        if texte:
            fiche.numero_texte = texte
            fiche.save(update_fields=["numero_texte"])
    return contrat


@pytest.fixture
def pilote(contrat):
    user = UserFactory()
    grant(user, contrat)
    return user


def _valeurs(contrat, pilote):
    for numero, valeur in ((13, 5), (14, 7), (2, 9)):
        indicateur = contrat.fiches.get(numero=numero).indicateurs.get()
        valeur_create(indicateur=indicateur, user=pilote, annee=2025, valeur=Decimal(valeur))


def test_the_export_writes_the_displayed_number_of_each_fiche(contrat, pilote):
    _valeurs(contrat, pilote)
    sheet = openpyxl.load_workbook(io.BytesIO(spreadsheets.export_indicateurs(contrat, "xlsx")))
    colonne = [row[0] for row in sheet.active.iter_rows(min_row=2, values_only=True)]
    assert colonne == [2, "13-1", "13-2"]
    assert spreadsheets.export_indicateurs(contrat, "csv").decode("utf-8-sig").count("13-1") == 1


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_export_reads_back_on_the_same_fiches_as_already_recorded(contrat, pilote, fmt):
    _valeurs(contrat, pilote)
    data = spreadsheets.export_indicateurs(contrat, fmt)
    lignes = lecture.lire(data, filename=f"valeurs.{fmt}")
    apercu = appariement.apparier(lignes, contrat=contrat, user=pilote)
    assert [(a.statut, a.fiche.numero) for a in apercu.lignes] == [
        (appariement.IDENTIQUE, 2),
        (appariement.IDENTIQUE, 13),
        (appariement.IDENTIQUE, 14),
    ]


@pytest.mark.parametrize(("cellule", "numero"), [("13-1", 13), ("13", 13), ("13-2", 14), (14, 14)])
def test_the_import_reads_the_displayed_number_or_the_number(contrat, pilote, cellule, numero):
    book = openpyxl.Workbook()
    book.active.append(["Fiche", "Indicateur", "Année", "Valeur"])
    book.active.append([cellule, "Nombre d'EPP réalisés", 2025, 3])
    buffer = io.BytesIO()
    book.save(buffer)
    lignes = lecture.lire(buffer.getvalue(), filename="valeurs.xlsx")
    [ligne] = appariement.apparier(lignes, contrat=contrat, user=pilote).lignes
    assert (ligne.statut, ligne.fiche.numero) == (appariement.NOUVELLE, numero)
