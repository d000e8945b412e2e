"""Une cible écrite dans le texte d'un indicateur (« cible : 20 en 2027 », « Cible 2027 :
20 », « valeur cible : 20 ») remplit `Indicateur.cible` à l'import, sur tout le corpus
de variantes ; elle n'est jamais proposée comme valeur constatée."""

from decimal import Decimal

import pytest

from pilotage.contrats.models import Indicateur
from pilotage.documents.importer import parse_document
from pilotage.documents.importer.indicators import attach_cibles, propose_values, read_cible
from pilotage.documents.services import fiches_import
from tests.factories import ContratFactory

from .corpus.donnees import FICHES
from .corpus.generer import generer
from .corpus.score import _norm

#: Cibles que portent les indicateurs du corpus (`donnees.FICHES`).
CIBLES = {
    "Nombre de visites prénatales réalisées (valeur cible : 300)": Decimal(300),
    "Nombre d'assistants familiaux agréés – cible : 20 en 2027": Decimal(20),
    "Nombre de contrats jeunes majeurs signés (Cible 2027 : 40)": Decimal(40),
}


@pytest.mark.parametrize(
    ("texte", "cible"),
    [
        ("Nombre de MAP – cible : 20 en 2027", Decimal(20)),
        ("Nombre de MAP (Cible 2027 : 20)", Decimal(20)),
        ("Nombre de MAP, valeur cible : 20", Decimal(20)),
        ("Nombre de MAP, cible en 2027 : 1 200", Decimal(1200)),
        ("Taux de retour – cible = 12,5 %", Decimal("12.5")),
        ("Nombre de MAP : 2023 : 424", None),
        ("Public cible élargi aux familles", None),
        ("Nombre de MAP, cible : " + "9" * 20, None),  # au-delà de ce que la fiche garde
    ],
)
def test_a_target_is_read_from_the_text_of_an_indicator(texte, cible):
    assert read_cible(texte) == cible


def test_a_target_is_never_proposed_as_a_recorded_value():
    assert propose_values("Nombre d'assistants familiaux agréés – cible : 20 en 2027") == []
    [valeur] = propose_values("Nombre de MAP en 2024 : 15, cible : 20 en 2027")
    assert (valeur["annee"], valeur["valeur"]) == (2024, 15)


def test_a_line_saying_only_a_target_goes_with_the_indicator_before_it():
    lignes = ["Nombre de contrats signés", "Cible 2027 : 40.", "Nombre de MAP", "Taux : 3"]
    assert attach_cibles(lignes) == [
        "Nombre de contrats signés, Cible 2027 : 40.",
        "Nombre de MAP",
        "Taux : 3",
    ]
    assert attach_cibles(["cible : 20"]) == ["cible : 20"]


def test_reading_a_target_stays_linear_on_a_hostile_text():
    hostile = "cible 2027 " * 20_000 + "cible : " + "1 " * 20_000
    assert read_cible(hostile) == Decimal(1)


def test_the_corpus_carries_every_target():
    assert set(CIBLES) <= {t for f in FICHES for t in f.indicateurs_quantitatifs}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generer(tmp_path_factory.mktemp("corpus-cibles"))


def test_every_variant_of_the_corpus_gives_the_targets(corpus):
    manquees = []
    for name, path in corpus.items():
        lus = {
            _norm(t): read_cible(t)
            for fiche in parse_document(path.read_bytes(), filename=name).fiches
            for t in attach_cibles(fiche.indicateurs_quantitatifs)
        }
        manquees += [f"{name} : {t}" for t, c in CIBLES.items() if lus.get(_norm(t)) != c]
    assert manquees == []


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".docx", ".odt"])
def test_the_import_fills_the_target_of_the_indicator(corpus, suffix):
    name, path = next((n, p) for n, p in sorted(corpus.items()) if n.endswith(suffix))
    contrat = ContratFactory()
    result = parse_document(path.read_bytes(), filename=name)
    fiches_import(contrat=contrat, result=result, user=None, filename=name)
    cibles = {
        _norm(i.libelle): i.cible
        for i in Indicateur.objects.filter(fiche__contrat=contrat, nature="quantitatif")
    }
    attendues = {_norm(libelle): cible for libelle, cible in CIBLES.items()}
    assert {libelle: cibles.get(libelle) for libelle in attendues} == attendues
    sans_cible = [libelle for libelle in cibles if libelle not in attendues]
    assert sans_cible and all(cibles[libelle] is None for libelle in sans_cible)
