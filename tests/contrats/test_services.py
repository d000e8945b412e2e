"""Services de la fiche action : historique, listes, validation, verrou optimiste."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pilotage.contrats import services
from pilotage.contrats.models import (
    Acteur,
    FicheAction,
    Financement,
    Indicateur,
    Jalon,
    PointVigilance,
)
from pilotage.core.models import Revision, RevisionChange
from pilotage.core.services import ConflitDeVersion
from pilotage.referentiel.models import IndicateurNational, Objectif
from tests.contrats.helpers import existing_rows
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


def history(fiche) -> list[Revision]:
    return list(Revision.objects.for_object(fiche).prefetch_related("changes"))


def changes_of(revision: Revision) -> dict[str, tuple[str, str, str]]:
    return {c.field: (c.label, c.old_value, c.new_value) for c in revision.changes.all()}


def state(fiche) -> dict:
    """Tout ce qu'un enregistrement peut changer, pour vérifier que rien n'a bougé."""
    fiche = FicheAction.objects.get(pk=fiche.pk)
    return {
        "fields": {name: getattr(fiche, name) for name in services.FICHE_FIELDS},
        "version": fiche.version,
        "objectifs": sorted(fiche.objectifs.values_list("numero", flat=True)),
        "referents": sorted(fiche.referents.values_list("pk", flat=True)),
        "lists": {relation: existing_rows(fiche, relation) for relation in services.FICHE_LISTS},
        "revisions": Revision.objects.for_object(fiche).count(),
        "changes": RevisionChange.objects.count(),
    }


# --- création --------------------------------------------------------------


def test_creating_a_fiche_records_one_creation_entry_listing_the_filled_rubrics(contrat):
    author = UserFactory()
    fiche = make_fiche(contrat, numero=4, user=author)
    [revision] = history(fiche)
    assert revision.source == Revision.Source.CREATION
    assert revision.user == author
    assert revision.version == fiche.version == 1
    changes = changes_of(revision)
    assert changes["titre"] == ("Titre de la fiche", "", "Fiche de test n°4")
    assert changes["objectifs"] == ("Objectifs", "", "n°1")
    assert changes["acteurs"] == ("Acteurs à mobiliser", "", "CH\nARS")
    assert changes["points_vigilance"] == ("Points de vigilance", "", "Natalité en baisse")
    # Rubriques vides à la création : rien à signaler.
    assert "motif_abandon" not in changes
    assert "moyens_texte" not in changes


def test_creating_a_fiche_saves_its_lists_in_the_given_order(fiche):
    assert list(fiche.acteurs.values_list("nom", "ordre")) == [("CH", 0), ("ARS", 1)]
    assert fiche.financements.count() == 2
    assert fiche.jalons.count() == fiche.indicateurs.count() == fiche.points_vigilance.count() == 1


def test_creating_a_fiche_with_a_number_already_used_is_refused_and_saves_nothing(fiche):
    before = (FicheAction.objects.count(), Revision.objects.count(), Acteur.objects.count())
    with pytest.raises(ValidationError) as error:
        make_fiche(fiche.contrat, numero=1, titre="Doublon")
    assert error.value.message_dict == {"numero": ["Le contrat a déjà une fiche n°1."]}
    after = (FicheAction.objects.count(), Revision.objects.count(), Acteur.objects.count())
    assert after == before


def test_the_same_number_can_be_used_in_another_contract(fiche, loir_et_cher):
    other = make_fiche(ContratFactory(departement=loir_et_cher), numero=1)
    assert other.numero == fiche.numero == 1


def test_creating_a_fiche_with_an_unknown_list_is_a_programming_error(contrat):
    with pytest.raises(TypeError, match="Listes inconnues : partenaires"):
        services.fiche_create(
            contrat=contrat, user=None, fields={"numero": 9, "titre": "X"}, partenaires=[]
        )
    assert not FicheAction.objects.filter(contrat=contrat, numero=9).exists()


# --- historique des modifications -----------------------------------------------


def test_each_save_records_one_revision_with_one_change_per_modified_rubric(fiche):
    author = UserFactory(first_name="Romane", last_name="Pilote")
    services.fiche_update(
        fiche=fiche,
        user=author,
        expected_version=1,
        fields={"titre": "Titre revu", "constat": "Constat revu.", "a_impact": True},
    )
    revision = history(fiche)[0]
    assert revision.user == author
    assert revision.source == Revision.Source.SAISIE
    assert revision.version == 2
    assert changes_of(revision) == {
        "titre": ("Titre de la fiche", "Fiche de test n°1", "Titre revu"),
        "constat": ("Constat du diagnostic", "Constat de test.", "Constat revu."),
        "a_impact": ("Action à impact", "Non", "Oui"),
    }


def test_successive_saves_each_add_a_revision_and_increment_the_version(fiche):
    services.fiche_update(fiche=fiche, user=None, expected_version=1, fields={"titre": "A"})
    services.fiche_update(fiche=fiche, user=None, expected_version=2, fields={"titre": "B"})
    revisions = history(fiche)
    assert [r.version for r in revisions] == [3, 2, 1]
    assert changes_of(revisions[0])["titre"][1:] == ("A", "B")
    assert changes_of(revisions[1])["titre"][1:] == ("Fiche de test n°1", "A")
    assert FicheAction.objects.get(pk=fiche.pk).version == 3


def test_the_state_change_is_recorded_with_its_readable_label(fiche):
    services.fiche_update(fiche=fiche, user=None, expected_version=1, fields={"etat": "en_cours"})
    assert changes_of(history(fiche)[0]) == {
        "etat": ("État de mise en œuvre", "Non démarrée", "En cours"),
    }


def test_saving_without_any_change_records_nothing_and_keeps_the_version(fiche):
    saved = services.fiche_update(
        fiche=fiche,
        user=UserFactory(),
        expected_version=1,
        fields={name: getattr(fiche, name) for name in services.FICHE_FIELDS},
        objectifs=fiche.objectifs.all(),
        referents=[],
        **{relation: existing_rows(fiche, relation) for relation in services.FICHE_LISTS},
    )
    assert saved.version == 1
    assert FicheAction.objects.get(pk=fiche.pk).version == 1
    assert len(history(fiche)) == 1  # la création seulement
    # La version n'ayant pas bougé, une autre personne partie de la version 1 peut enregistrer.
    services.fiche_update(fiche=fiche, user=None, expected_version=1, fields={"titre": "Autre"})
    assert FicheAction.objects.get(pk=fiche.pk).titre == "Autre"


def test_a_financing_amount_change_appears_under_the_financial_means_rubric(fiche):
    rows = existing_rows(fiche, "financements")
    rows[0]["montant"] = Decimal("20000")
    services.fiche_update(fiche=fiche, user=None, expected_version=1, financements=rows)
    [(field, (label, old, new))] = changes_of(history(fiche)[0]).items()
    assert (field, label) == ("financements", "Moyens financiers prévisionnels")
    assert old.splitlines()[0] == "État : 14\u202f574\u00a0€"
    assert new.splitlines()[0] == "État : 20\u202f000\u00a0€"
    assert old.splitlines()[1] == new.splitlines()[1]


def test_objective_and_referent_changes_are_recorded(fiche):
    referent = UserFactory(first_name="Alex", last_name="Martin")
    grant(referent, fiche.contrat, "referent")
    services.fiche_update(
        fiche=fiche,
        user=None,
        expected_version=1,
        objectifs=Objectif.objects.filter(generation=fiche.contrat.generation, numero__in=[1, 3]),
        referents=[referent],
    )
    assert changes_of(history(fiche)[0]) == {
        "objectifs": ("Objectifs", "n°1", "n°1, n°3"),
        "referents": ("Référents dans l'application", "", "Alex Martin"),
    }


def test_a_list_left_out_of_the_update_is_not_touched(fiche):
    ids = list(fiche.acteurs.values_list("pk", flat=True))
    services.fiche_update(fiche=fiche, user=None, expected_version=1, fields={"titre": "T"})
    assert list(fiche.acteurs.values_list("pk", flat=True)) == ids


# --- lignes des listes -----------------------------------------------------------


def test_an_updated_indicator_keeps_its_id(fiche):
    [indicateur] = existing_rows(fiche, "indicateurs")
    national = IndicateurNational.objects.filter(generation=fiche.contrat.generation).first()
    indicateur.update(libelle="Libellé revu", cible=Decimal("12"), indicateur_national=national)
    services.fiche_update(fiche=fiche, user=None, expected_version=1, indicateurs=[indicateur])
    saved = Indicateur.objects.get(fiche=fiche)
    assert saved.pk == indicateur["id"]
    assert (saved.libelle, saved.cible, saved.indicateur_national) == (
        "Libellé revu",
        Decimal("12"),
        national,
    )


def test_list_rows_keep_their_ids_when_reordered_and_new_rows_are_added(fiche):
    ch, ars = existing_rows(fiche, "acteurs")
    services.fiche_update(
        fiche=fiche,
        user=None,
        expected_version=1,
        acteurs=[ars, {"nom": "PMI", "implication": "Repérage"}, ch],
    )
    rows = list(Acteur.objects.filter(fiche=fiche).values_list("pk", "nom", "ordre"))
    new_pk = rows[1][0]
    assert rows == [(ars["id"], "ARS", 0), (new_pk, "PMI", 1), (ch["id"], "CH", 2)]
    assert new_pk not in (ch["id"], ars["id"])
    assert changes_of(history(fiche)[0])["acteurs"] == (
        "Acteurs à mobiliser",
        "CH\nARS",
        "ARS\nPMI (Repérage)\nCH",
    )


def test_rows_left_out_of_a_list_are_deleted(fiche):
    etat, cd = existing_rows(fiche, "financements")
    [point] = existing_rows(fiche, "points_vigilance")
    services.fiche_update(
        fiche=fiche, user=None, expected_version=1, financements=[cd], points_vigilance=[]
    )
    assert list(Financement.objects.filter(fiche=fiche).values_list("pk", flat=True)) == [cd["id"]]
    assert not Financement.objects.filter(pk=etat["id"]).exists()
    assert not PointVigilance.objects.filter(pk=point["id"]).exists()
    changes = changes_of(history(fiche)[0])
    assert changes["points_vigilance"] == ("Points de vigilance", "Natalité en baisse", "")


def test_a_row_id_from_another_fiche_does_not_move_that_row(fiche):
    other = make_fiche(fiche.contrat, numero=2)
    foreign = existing_rows(other, "jalons")[0]
    services.fiche_update(
        fiche=fiche,
        user=None,
        expected_version=1,
        jalons=[dict(foreign, libelle="Copie")],
    )
    assert Jalon.objects.get(pk=foreign["id"]).fiche_id == other.pk
    assert Jalon.objects.get(pk=foreign["id"]).libelle == "Signature de la convention"
    assert list(Jalon.objects.filter(fiche=fiche).values_list("libelle", flat=True)) == ["Copie"]


# --- validation ----------------------------------------------------------------


def test_abandoning_without_a_reason_is_refused_and_nothing_is_saved(fiche):
    before = state(fiche)
    with pytest.raises(ValidationError) as error:
        services.fiche_update(
            fiche=fiche,
            user=None,
            expected_version=1,
            fields={"etat": "abandonnee", "motif_abandon": "  ", "titre": "Changé"},
            points_vigilance=[],
            acteurs=[{"nom": "Nouvel acteur"}],
        )
    assert error.value.message_dict["motif_abandon"] == [
        "Indiquez le motif de l'abandon de l'action."
    ]
    assert state(fiche) == before


def test_abandoning_with_a_reason_is_accepted(fiche):
    services.fiche_update(
        fiche=fiche,
        user=None,
        expected_version=1,
        fields={"etat": "abandonnee", "motif_abandon": "Financement retiré."},
    )
    saved = FicheAction.objects.get(pk=fiche.pk)
    assert (saved.etat, saved.motif_abandon) == ("abandonnee", "Financement retiré.")


def test_changing_the_number_to_one_already_used_is_refused_and_nothing_is_saved(fiche):
    make_fiche(fiche.contrat, numero=2)
    before = state(fiche)
    with pytest.raises(ValidationError) as error:
        services.fiche_update(
            fiche=fiche, user=None, expected_version=1, fields={"numero": 2, "titre": "Changé"}
        )
    assert error.value.message_dict == {"numero": ["Le contrat a déjà une fiche n°2."]}
    assert state(fiche) == before


def test_credits_cannot_be_redeployed_to_the_same_fiche(fiche):
    before = state(fiche)
    with pytest.raises(ValidationError) as error:
        services.fiche_update(
            fiche=fiche, user=None, expected_version=1, fields={"fiche_beneficiaire": fiche}
        )
    assert "fiche_beneficiaire" in error.value.message_dict
    assert state(fiche) == before


def test_credits_cannot_be_redeployed_to_a_fiche_of_another_contract(fiche, loir_et_cher):
    foreign = make_fiche(ContratFactory(departement=loir_et_cher), numero=1)
    before = state(fiche)
    with pytest.raises(ValidationError) as error:
        services.fiche_update(
            fiche=fiche,
            user=None,
            expected_version=1,
            fields={
                "etat": "abandonnee",
                "motif_abandon": "Redéployé.",
                "fiche_beneficiaire": foreign,
            },
        )
    assert "fiche_beneficiaire" in error.value.message_dict
    assert state(fiche) == before


def test_an_invalid_list_row_is_refused_and_the_fiche_fields_are_not_saved(fiche):
    before = state(fiche)
    with pytest.raises(ValidationError):
        services.fiche_update(
            fiche=fiche,
            user=None,
            expected_version=1,
            fields={"titre": "Changé"},
            financements=[{"financeur": "mecene", "montant": Decimal("10")}],
        )
    assert state(fiche) == before


def test_an_unknown_rubric_is_a_programming_error_and_nothing_is_saved(fiche):
    before = state(fiche)
    with pytest.raises(TypeError, match="Rubrique inconnue : budget"):
        services.fiche_update(
            fiche=fiche, user=None, expected_version=1, fields={"titre": "T", "budget": 3}
        )
    assert state(fiche) == before


# --- verrou optimiste ------------------------------------------------------------


def test_a_second_save_from_the_same_version_is_refused_and_keeps_the_first(fiche):
    first_author, second_author = UserFactory(), UserFactory()
    services.fiche_update(
        fiche=fiche,
        user=first_author,
        expected_version=1,
        fields={"titre": "Premier"},
    )
    after_first = state(fiche)
    stale = FicheAction.objects.get(pk=fiche.pk)
    with pytest.raises(ConflitDeVersion) as error:
        services.fiche_update(
            fiche=stale,
            user=second_author,
            expected_version=1,
            fields={"titre": "Second", "description": "Réécrite", "etat": "en_cours"},
            objectifs=Objectif.objects.filter(generation=fiche.contrat.generation, numero=5),
            acteurs=[{"nom": "Autre acteur"}],
            points_vigilance=[],
        )
    assert error.value.expected_version == 1
    assert "modifiée par une autre personne" in str(error.value)
    assert state(fiche) == after_first
    assert after_first["fields"]["titre"] == "Premier"
    assert after_first["version"] == 2
    assert after_first["revisions"] == 2
    assert [r.user for r in history(fiche)] == [first_author, None]


def test_a_save_from_a_future_version_is_refused(fiche):
    with pytest.raises(ConflitDeVersion):
        services.fiche_update(fiche=fiche, user=None, expected_version=7, fields={"titre": "X"})
    assert FicheAction.objects.get(pk=fiche.pk).version == 1


def test_a_save_starting_from_the_current_version_after_a_conflict_succeeds(fiche):
    services.fiche_update(fiche=fiche, user=None, expected_version=1, fields={"titre": "A"})
    services.fiche_update(fiche=fiche, user=None, expected_version=2, fields={"constat": "B"})
    saved = FicheAction.objects.get(pk=fiche.pk)
    assert (saved.titre, saved.constat, saved.version) == ("A", "B", 3)
