"""Import des valeurs d'indicateurs depuis un tableur (issue 14, point 3) : les deux
dispositions (une ligne par période, une colonne par année), l'aperçu de ce qui est
reconnu ou non, le tout ou rien, les droits, les fichiers refusés, l'aller-retour avec
l'export des valeurs."""

import io
from decimal import Decimal
from unittest import mock

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from pilotage.contrats.models import Habilitation, Indicateur
from pilotage.documents.valeurs import appariement, lecture, services
from pilotage.suivi import spreadsheets as suivi_spreadsheets
from pilotage.suivi.models import ValeurIndicateur
from pilotage.suivi.services import valeur_create
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db

EPP = "Nombre d'EPP réalisés"
LONG_HEADER = ["Fiche", "Indicateur", "Année", "Valeur", "Source", "Commentaire"]


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


@pytest.fixture
def contrat():
    contrat = ContratFactory()
    make_fiche(contrat, numero=1)
    fiche = make_fiche(contrat, numero=2)
    Indicateur.objects.create(
        fiche=fiche, nature=Indicateur.Nature.QUALITATIF, libelle="Ressenti des familles"
    )
    return contrat


@pytest.fixture
def pilote(contrat):
    user = UserFactory()
    grant(user, contrat)
    return user


def _url(contrat, name="valeurs_import"):
    return reverse(f"documents:{name}", args=[contrat.pk])


def _preview(client, contrat, rows, name="valeurs.xlsx"):
    return client.post(_url(contrat), {"fichier": upload(name, xlsx(rows))})


def _confirm(client, contrat, preview):
    return client.post(_url(contrat), {"donnees": preview.context["donnees"]})


# --- Lecture ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,5", Decimal("1234.50")),
        ("93 %", Decimal("93.00")),
        ("1.234.567", Decimal("1234567.00")),
        ("12.5", Decimal("12.50")),
        ("-3", Decimal("-3.00")),
        ("", None),
    ],
)
def test_numbers_are_read_in_french_notations(text, expected):
    assert lecture.parse_number(text) == expected


@pytest.mark.parametrize("text", ["douze", "1,2,3", "9" * 50, "1 2 3 4 5 6 7 8 9 " * 100])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(ValueError):
        lecture.parse_number(text)


def test_a_ratio_cell_gives_numerator_and_denominator():
    ligne = lecture.LigneLue(ligne=2, fiche="1", indicateur=EPP, annee=2025)
    lecture.fill_value(ligne, "787 sur 844")
    assert (ligne.numerateur, ligne.denominateur, ligne.erreur) == (
        Decimal("787.00"),
        Decimal("844.00"),
        "",
    )


def test_one_column_per_year_gives_one_value_per_year():
    rows = [["Fiche n°", "Indicateur", "2024", "2025 S1", "Source"], ["FA 1", EPP, 12, "", "CD"]]
    lignes = lecture.lignes_from_rows([[str(c) for c in row] for row in rows])
    assert [(x.annee, x.semestre, x.valeur, x.source) for x in lignes] == [
        (2024, None, Decimal("12.00"), "CD")
    ]


def test_a_sheet_without_a_recognised_header_is_refused():
    with pytest.raises(lecture.ImportErreur, match="en-tête"):
        lecture.lignes_from_rows([["Nom", "Prénom"], ["a", "b"]])


# --- Aperçu et enregistrement ------------------------------------------------------------


def test_the_preview_shows_what_matches_and_what_does_not_and_saves_nothing(
    client, contrat, pilote
):
    client.force_login(pilote)
    rows = [
        LONG_HEADER,
        [1, EPP, 2025, 12, "Comptage CD", ""],
        ["Fiche 2", "nombre d'epp realises", 2025, "14,5", "", ""],
        [9, EPP, 2025, 3, "", ""],
        [1, "Indicateur inconnu", 2025, 3, "", ""],
        [2, "Ressenti des familles", 2025, 3, "", ""],
        [1, EPP, 1990, 3, "", ""],
        [1, EPP, 2026, "beaucoup", "", ""],
    ]
    response = _preview(client, contrat, rows)
    assert response.status_code == 200
    statuts = [(a.lue.ligne, a.statut) for a in response.context["apercu"].lignes]
    assert statuts == [
        (2, appariement.NOUVELLE),
        (3, appariement.NOUVELLE),
        (4, appariement.REFUSEE),
        (5, appariement.REFUSEE),
        (6, appariement.REFUSEE),
        (7, appariement.REFUSEE),
        (8, appariement.REFUSEE),
    ]
    html = response.content.decode()
    assert "Aucune fiche n°« 9 » dans ce contrat." in html
    assert "Indicateur qualitatif" in html
    assert "Enregistrer 2 valeurs" in html
    assert not ValeurIndicateur.objects.exists()

    response = _confirm(client, contrat, response)
    assert response.status_code == 302
    saved = ValeurIndicateur.objects.order_by("indicateur__fiche__numero")
    assert [(v.indicateur.fiche.numero, v.valeur, v.source) for v in saved] == [
        (1, Decimal("12.00"), "Comptage CD"),
        (2, Decimal("14.50"), "Tableur importé (valeurs.xlsx)"),
    ]


def test_a_value_already_recorded_is_not_saved_twice_and_a_different_one_corrects_it(
    client, contrat, pilote
):
    indicateur = Indicateur.objects.get(fiche__contrat=contrat, fiche__numero=1, libelle=EPP)
    valeur_create(indicateur=indicateur, user=pilote, annee=2025, valeur=Decimal(12))
    valeur_create(indicateur=indicateur, user=pilote, annee=2024, valeur=Decimal(10))
    client.force_login(pilote)
    rows = [LONG_HEADER, [1, EPP, 2025, 12, "", ""], [1, EPP, 2024, 11, "", ""]]
    response = _preview(client, contrat, rows)
    lignes = response.context["apercu"].lignes
    assert [a.statut for a in lignes] == [appariement.IDENTIQUE, appariement.CORRECTION]
    assert lignes[1].precedente == "10"
    _confirm(client, contrat, response)
    assert ValeurIndicateur.objects.filter(indicateur=indicateur).count() == 3


def test_the_export_of_the_values_reads_back_as_already_recorded(client, contrat, pilote):
    indicateur = Indicateur.objects.get(fiche__contrat=contrat, fiche__numero=1, libelle=EPP)
    valeur_create(indicateur=indicateur, user=pilote, annee=2025, valeur=Decimal("12.5"))
    valeur_create(
        indicateur=indicateur,
        user=pilote,
        annee=2026,
        semestre=1,
        numerateur=Decimal(787),
        denominateur=Decimal(844),
    )
    data = suivi_spreadsheets.export_indicateurs(contrat, "xlsx")
    lignes = lecture.lire(data, filename="export.xlsx")
    apercu = appariement.apparier(lignes, contrat=contrat, user=pilote)
    assert [a.statut for a in apercu.lignes] == [appariement.IDENTIQUE] * 2


def test_the_import_is_all_or_nothing(contrat, pilote):
    lignes = [
        lecture.LigneLue(ligne=2, fiche="1", indicateur=EPP, annee=2024, valeur=Decimal(1)),
        lecture.LigneLue(ligne=3, fiche="1", indicateur=EPP, annee=2025, valeur=Decimal(2)),
    ]
    real = valeur_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("panne au milieu")
        return real(**kwargs)

    with mock.patch.object(services, "valeur_create", failing), pytest.raises(RuntimeError):
        services.valeurs_import(contrat=contrat, user=pilote, lignes=lignes)
    assert not ValeurIndicateur.objects.exists()


def test_a_comment_with_personal_data_is_not_imported(contrat, pilote):
    ligne = lecture.LigneLue(
        ligne=2,
        fiche="1",
        indicateur=EPP,
        annee=2025,
        valeur=Decimal(1),
        commentaire="Suivi de Kevin Martin, né le 12/03/2015",
    )
    [item] = appariement.apparier([ligne], contrat=contrat, user=pilote).lignes
    assert item.statut == appariement.REFUSEE
    assert "données personnelles" in item.motif


def test_the_same_period_twice_in_the_sheet_is_refused_the_second_time(contrat, pilote):
    lignes = [
        lecture.LigneLue(ligne=n, fiche="1", indicateur=EPP, annee=2025, valeur=Decimal(n))
        for n in (2, 3)
    ]
    statuts = [a.statut for a in appariement.apparier(lignes, contrat=contrat, user=pilote).lignes]
    assert statuts == [appariement.NOUVELLE, appariement.REFUSEE]


# --- Droits, fichiers refusés, aperçu falsifié -----------------------------------------------


def test_a_reader_cannot_import_values(client, contrat):
    lecteur = UserFactory()
    grant(lecteur, contrat, Habilitation.Role.LECTEUR)
    client.force_login(lecteur)
    assert client.get(_url(contrat)).status_code == 403
    assert client.get(_url(contrat, "valeurs_modele")).status_code == 403


def test_a_contributor_imports_values_and_the_contract_page_offers_it(client, contrat):
    contributeur = UserFactory()
    grant(contributeur, contrat, Habilitation.Role.CONTRIBUTEUR)
    client.force_login(contributeur)
    page = client.get(reverse("contrats:contrat", args=[contrat.pk])).content.decode()
    assert _url(contrat) in page
    response = _preview(client, contrat, [LONG_HEADER, [1, EPP, 2025, 4, "", ""]])
    _confirm(client, contrat, response)
    assert ValeurIndicateur.objects.get().user == contributeur


def test_a_fiche_referent_cannot_import_on_another_fiche(contrat):
    referent = UserFactory()
    grant(referent, contrat, Habilitation.Role.REFERENT)
    contrat.fiches.get(numero=1).referents.add(referent)
    lignes = [
        lecture.LigneLue(ligne=2, fiche="1", indicateur=EPP, annee=2025, valeur=Decimal(1)),
        lecture.LigneLue(ligne=3, fiche="2", indicateur=EPP, annee=2025, valeur=Decimal(1)),
    ]
    [mine, other] = appariement.apparier(lignes, contrat=contrat, user=referent).lignes
    assert (mine.statut, other.interdite) == (appariement.NOUVELLE, True)
    with pytest.raises(PermissionDenied):
        services.valeurs_import(contrat=contrat, user=referent, lignes=lignes)
    assert not ValeurIndicateur.objects.exists()


def test_a_user_of_another_contract_gets_not_found(client, contrat, correze):
    other = ContratFactory(departement=correze)
    user = UserFactory()
    grant(user, other)
    client.force_login(user)
    assert client.get(_url(contrat)).status_code == 404


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("valeurs.xlsx", b"PK\x03\x04pas une archive", "endommagé"),
        ("valeurs.xlsx", b"texte brut", "tableur"),
        ("valeurs.xlsx", xlsx([["Nom", "Prénom"]]), "en-tête"),
    ],
)
def test_a_refused_file_gets_a_french_message_and_nothing_is_saved(
    client, contrat, pilote, name, data, message
):
    client.force_login(pilote)
    response = client.post(_url(contrat), {"fichier": upload(name, data)})
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["fichier"])
    assert not ValeurIndicateur.objects.exists()


def test_a_forged_preview_is_refused(client, contrat, pilote):
    client.force_login(pilote)
    response = client.post(_url(contrat), {"donnees": "falsifie:abc"}, follow=True)
    assert "L'aperçu a expiré" in response.content.decode()
    assert not ValeurIndicateur.objects.exists()


def test_a_preview_signed_for_someone_else_is_refused(client, contrat, pilote):
    client.force_login(pilote)
    preview = _preview(client, contrat, [LONG_HEADER, [1, EPP, 2025, 4, "", ""]])
    other = UserFactory()
    grant(other, contrat)
    client.force_login(other)
    _confirm(client, contrat, preview)
    assert not ValeurIndicateur.objects.exists()


def test_the_model_spreadsheet_lists_the_quantitative_indicators(client, contrat, pilote):
    client.force_login(pilote)
    response = client.get(_url(contrat, "valeurs_modele"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Fiche", "Indicateur", "Année", "Semestre", "Valeur")
    assert [r[:2] for r in rows[1:]] == [("1", EPP), ("2", EPP)]
    # Le modèle se relit : vide, il n'a rien à importer ; une ligne complétée suffit.
    cells = [["" if c is None else str(c) for c in r] for r in rows]
    with pytest.raises(lecture.ImportErreur, match="aucune valeur"):
        lecture.lignes_from_rows(cells)
    cells[1][2:5] = ["2025", "", "7"]
    [ligne] = lecture.lignes_from_rows(cells)
    assert (ligne.fiche, ligne.annee, ligne.valeur, ligne.erreur) == ("1", 2025, Decimal(7), "")


def test_preview_queries_do_not_grow_with_the_rows(
    client, contrat, pilote, django_assert_max_num_queries
):
    client.force_login(pilote)
    with django_assert_max_num_queries(25) as few:
        _preview(client, contrat, [LONG_HEADER, [1, EPP, 2025, 4, "", ""]])
    many = [LONG_HEADER] + [[n % 2 + 1, EPP, 2015 + n, n, "", ""] for n in range(12)]
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert _preview(client, contrat, many).status_code == 200


def test_a_rate_outside_0_to_100_is_refused(contrat, pilote):
    indicateur = Indicateur.objects.get(fiche__contrat=contrat, fiche__numero=1, libelle=EPP)
    indicateur.unite = "pourcentage"
    indicateur.save()
    lignes = [
        lecture.LigneLue(ligne=2, fiche="1", indicateur=EPP, annee=2025, valeur=Decimal(140)),
        lecture.LigneLue(ligne=3, fiche="1", indicateur=EPP, annee=2026, valeur=Decimal(40)),
    ]
    items = appariement.apparier(lignes, contrat=contrat, user=pilote).lignes
    assert [a.statut for a in items] == [appariement.REFUSEE, appariement.NOUVELLE]
    assert "entre 0 et 100" in items[0].motif
