"""Import d'un document : l'unité d'un nouvel indicateur vient de son libellé (ou de
l'indicateur national) ; une unité choisie ensuite n'est pas écrasée par un nouvel import."""

from pilotage.documents.importer import parse_document
from pilotage.documents.services import fiches_import
from tests.documents.docx_builder import build_creuse_docx
from tests.factories import ContratFactory


def _import(contrat, data):
    result = parse_document(data, filename="fiches-creuse.docx")
    return fiches_import(contrat=contrat, result=result, user=None, filename="fiches-creuse.docx")


def test_imported_indicators_get_the_unit_their_label_says_and_keep_a_chosen_one(
    db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    contrat, data = ContratFactory(), build_creuse_docx()
    _import(contrat, data)

    def unit(numero, start):
        fiche = contrat.fiches.get(numero=numero)
        return fiche.indicateurs.get(nature="quantitatif", libelle__startswith=start).unite

    assert unit(1, "Pourcentage de femme") == "pourcentage"
    # « Nombre de femmes … soit 6,8 % » : un nombre, pas un taux.
    assert unit(1, "Nombre de femmes ayant") == "nombre"
    assert unit(5, "Nombre d'ETP médecin") == "etp"
    besm = contrat.fiches.get(numero=2).indicateurs.get(indicateur_national__isnull=False)
    assert besm.unite == besm.indicateur_national.unite == "nombre"

    besm.unite, besm.sens = "autre", "hausse"
    besm.unite_autre = "enfants"
    besm.save()
    _import(contrat, data)
    besm.refresh_from_db()
    assert (besm.unite, besm.unite_autre, besm.sens) == ("autre", "enfants", "hausse")
