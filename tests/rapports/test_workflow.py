"""Circuit du rapport d'exécution : chaque étape, et qui peut la faire.

Brouillon (rédigé par les pilotes du Conseil départemental) → soumis (commenté par les
pilotes de l'État et de l'ARS) → validé par un pilote de chacune des trois parties →
arrêté (version datée, figée) → corrigé (version 2, en brouillon)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilotage.core.models import Revision
from pilotage.rapports import services
from pilotage.rapports.models import (
    CommentaireSection,
    Partie,
    RapportExecution,
    SectionRapport,
    ValidationRapport,
)

S = RapportExecution.Statut
BILAN = SectionRapport.Rubrique.BILAN


def _save(rapport, user, fiche, texte="Bilan de l'année.", **kwargs):
    return services.section_save(
        rapport=rapport, user=user, rubrique=BILAN, fiche=fiche, texte=texte, **kwargs
    )


# --- Préparation ---------------------------------------------------------------------


def test_un_pilote_du_conseil_departemental_prepare_le_rapport_d_une_annee(contrat, cd):
    rapport = services.rapport_create(contrat=contrat, annee=2025, user=cd)
    assert (rapport.statut, rapport.version, rapport.created_by) == (S.BROUILLON, 1, cd)
    assert Revision.objects.for_object(rapport).get().source == Revision.Source.CREATION


@pytest.mark.parametrize("qui", ["ddets", "ars", "prefecture", "referent", "lecteur"])
def test_seul_un_pilote_du_conseil_departemental_prepare_le_rapport(request, contrat, qui):
    user = request.getfixturevalue(qui)
    with pytest.raises(PermissionDenied):
        services.rapport_create(contrat=contrat, annee=2025, user=user)
    assert not RapportExecution.objects.exists()


def test_le_pilote_d_un_autre_departement_ne_prepare_pas_le_rapport(contrat, autre_departement):
    with pytest.raises(PermissionDenied):
        services.rapport_create(contrat=contrat, annee=2025, user=autre_departement)


@pytest.mark.parametrize("annee", [2024, 2027, 2030])
def test_l_annee_est_une_annee_passee_ou_en_cours_du_contrat(contrat, cd, annee):
    # Le contrat couvre 2025-2027 ; nous sommes en 2026 : 2027 n'est pas encore venue.
    with pytest.raises(ValidationError) as exc:
        services.rapport_create(contrat=contrat, annee=annee, user=cd)
    assert "année du contrat" in exc.value.messages[0]


def test_une_annee_n_a_qu_un_rapport(rapport, contrat, cd):
    with pytest.raises(ValidationError):
        services.rapport_create(contrat=contrat, annee=2025, user=cd)


# --- Rédaction -----------------------------------------------------------------------


def test_un_pilote_du_cd_redige_une_section_inscrite_a_l_historique(rapport, cd, fiches):
    section = _save(rapport, cd, fiches[0], "Premier bilan.")
    assert (section.texte, section.fiche, section.updated_by) == ("Premier bilan.", fiches[0], cd)
    change = Revision.objects.for_object(rapport).first().changes.get()
    assert (change.label, change.new_value) == ("Bilan d'exécution – fiche n°1", "Premier bilan.")


@pytest.mark.parametrize("qui", ["ddets", "ars", "prefecture", "referent", "lecteur"])
def test_seuls_les_pilotes_du_cd_redigent(request, rapport, fiches, qui):
    with pytest.raises(PermissionDenied):
        _save(rapport, request.getfixturevalue(qui), fiches[0])
    assert not SectionRapport.objects.exists()


def test_une_fiche_d_un_autre_contrat_n_a_pas_de_section(rapport, cd, autre_departement):
    from tests.factories import make_fiche

    autre = make_fiche(autre_departement.habilitations.get().contrat, 9)
    with pytest.raises(ValidationError):
        _save(rapport, cd, autre)


def test_l_action_la_plus_pertinente_d_une_source_est_une_fiche_du_contrat(rapport, cd, fiches):
    section = services.section_save(
        rapport=rapport,
        user=cd,
        rubrique=SectionRapport.Rubrique.ACTION_PERTINENTE,
        source="fir",
        fiche_choisie=fiches[1],
        texte="Action emblématique.",
    )
    assert (section.source, section.fiche, section.texte) == (
        "fir",
        fiches[1],
        "Action emblématique.",
    )
    with pytest.raises(ValidationError):
        services.section_save(
            rapport=rapport, user=cd, rubrique="action_pertinente", source="inconnue", texte="x"
        )


def test_un_texte_trop_long_est_refuse_avec_un_message_clair(rapport, cd, fiches):
    with pytest.raises(ValidationError) as exc:
        _save(rapport, cd, fiches[0], "x" * 20_001)
    assert "raccourcissez-le" in exc.value.message_dict["texte"][0]


def test_deux_redactions_concurrentes_ne_s_ecrasent_pas(rapport, cd, fiches):
    from pilotage.core.services import ConflitDeVersion

    section = _save(rapport, cd, fiches[0], "A", expected_version=1)
    with pytest.raises(ConflitDeVersion):
        _save(rapport, cd, fiches[0], "B", expected_version=1)
    section.refresh_from_db()
    assert section.texte == "A"


# --- Soumission et commentaires ------------------------------------------------------


def test_un_pilote_du_cd_soumet_le_brouillon(rapport, cd):
    services.rapport_submit(rapport=rapport, user=cd)
    rapport.refresh_from_db()
    assert rapport.statut == S.SOUMIS and rapport.soumis_le is not None
    with pytest.raises(ValidationError):
        services.rapport_submit(rapport=rapport, user=cd)


@pytest.mark.parametrize("qui", ["ddets", "ars", "referent", "lecteur"])
def test_seuls_les_pilotes_du_cd_soumettent(request, rapport, qui):
    with pytest.raises(PermissionDenied):
        services.rapport_submit(rapport=rapport, user=request.getfixturevalue(qui))


@pytest.mark.parametrize("qui", ["ddets", "ars", "prefecture"])
def test_les_pilotes_de_l_etat_et_de_l_ars_commentent_une_section(request, soumis, fiches, qui):
    user = request.getfixturevalue(qui)
    commentaire = services.section_comment(
        rapport=soumis, user=user, rubrique=BILAN, fiche=fiches[0], texte="À préciser."
    )
    assert (commentaire.institution, commentaire.version) == (user.institution, 1)
    assert commentaire.section.fiche == fiches[0]


@pytest.mark.parametrize("qui", ["cd", "referent", "lecteur", "autre_departement"])
def test_les_autres_ne_commentent_pas(request, soumis, fiches, qui):
    with pytest.raises(PermissionDenied):
        services.section_comment(
            rapport=soumis,
            user=request.getfixturevalue(qui),
            rubrique=BILAN,
            fiche=fiches[0],
            texte="Commentaire.",
        )
    assert not CommentaireSection.objects.exists()


def test_un_brouillon_ne_se_commente_pas(rapport, ddets, fiches):
    with pytest.raises(ValidationError):
        services.section_comment(
            rapport=rapport, user=ddets, rubrique=BILAN, fiche=fiches[0], texte="Trop tôt."
        )


def test_un_commentaire_vide_est_refuse(soumis, ddets, fiches):
    with pytest.raises(ValidationError):
        services.section_comment(
            rapport=soumis, user=ddets, rubrique=BILAN, fiche=fiches[0], texte="  \n "
        )


# --- Validation ----------------------------------------------------------------------


def test_le_rapport_est_valide_quand_les_trois_parties_l_ont_valide(soumis, cd, ddets, ars):
    services.rapport_validate(rapport=soumis, user=ddets)
    services.rapport_validate(rapport=soumis, user=cd)
    soumis.refresh_from_db()
    assert soumis.statut == S.SOUMIS
    validation = services.rapport_validate(rapport=soumis, user=ars)
    soumis.refresh_from_db()
    assert soumis.statut == S.VALIDE and soumis.valide_le is not None
    assert (validation.partie, validation.user, validation.institution) == (
        Partie.ARS,
        ars,
        ars.institution,
    )
    assert {v.partie for v in ValidationRapport.objects.all()} == set(Partie.values)


def test_la_prefecture_et_la_ddets_valident_pour_la_meme_partie(soumis, ddets, prefecture):
    services.rapport_validate(rapport=soumis, user=prefecture)
    with pytest.raises(ValidationError) as exc:
        services.rapport_validate(rapport=soumis, user=ddets)
    assert "déjà validé" in exc.value.messages[0]


@pytest.mark.parametrize("qui", ["referent", "lecteur", "autre_departement"])
def test_seul_un_pilote_d_une_des_trois_parties_valide(request, soumis, qui):
    with pytest.raises(PermissionDenied):
        services.rapport_validate(rapport=soumis, user=request.getfixturevalue(qui))


def test_un_pilote_d_une_autre_institution_ne_valide_pas(soumis, contrat):
    from pilotage.territoires.models import Institution
    from tests.factories import make_pilote_institution

    caf = make_pilote_institution(contrat, Institution.Type.CAF, "CAF de la Creuse")
    with pytest.raises(PermissionDenied):
        services.rapport_validate(rapport=soumis, user=caf)


def test_un_brouillon_ne_se_valide_pas(rapport, cd):
    with pytest.raises(ValidationError):
        services.rapport_validate(rapport=rapport, user=cd)


def test_un_texte_modifie_pendant_la_relecture_annule_les_validations(soumis, cd, ddets, fiches):
    services.rapport_validate(rapport=soumis, user=ddets)
    _save(soumis, cd, fiches[0], "Bilan repris après les commentaires.")
    assert not ValidationRapport.objects.exists()
    assert "valider" in soumis.actions_possibles(ddets)


def test_un_rapport_valide_ne_se_modifie_plus(valide, cd, fiches):
    with pytest.raises(PermissionDenied):
        _save(valide, cd, fiches[0])


# --- Arrêté et correction ------------------------------------------------------------


@pytest.mark.parametrize("qui", ["cd", "ddets", "ars"])
def test_un_pilote_d_une_des_trois_parties_arrete_le_rapport_valide(request, valide, qui):
    user = request.getfixturevalue(qui)
    version = services.rapport_arreter(rapport=valide, user=user)
    valide.refresh_from_db()
    assert valide.statut == S.ARRETE
    assert (version.numero, version.arrete_par) == (1, user) and version.arrete_le
    assert {v["partie"] for v in version.contenu["validations"]} == set(Partie.values)


@pytest.mark.parametrize("qui", ["referent", "lecteur", "autre_departement"])
def test_les_autres_n_arretent_pas_le_rapport(request, valide, qui):
    with pytest.raises(PermissionDenied):
        services.rapport_arreter(rapport=valide, user=request.getfixturevalue(qui))


def test_un_rapport_soumis_ne_s_arrete_pas(soumis, cd):
    with pytest.raises(ValidationError):
        services.rapport_arreter(rapport=soumis, user=cd)


def test_un_pilote_du_cd_corrige_le_rapport_arrete_en_version_2(arrete, cd, ddets):
    services.rapport_corriger(rapport=arrete, user=cd)
    arrete.refresh_from_db()
    assert (arrete.statut, arrete.version) == (S.BROUILLON, 2)
    # Les validations de la version 1 restent ; la version 2 attend les siennes.
    assert arrete.parties_validees() == set()
    assert ValidationRapport.objects.filter(version=1).count() == 3


@pytest.mark.parametrize("qui", ["ddets", "ars", "referent", "lecteur"])
def test_seuls_les_pilotes_du_cd_corrigent(request, arrete, qui):
    with pytest.raises(PermissionDenied):
        services.rapport_corriger(rapport=arrete, user=request.getfixturevalue(qui))


def test_un_rapport_non_arrete_ne_se_corrige_pas(rapport, cd):
    with pytest.raises(ValidationError):
        services.rapport_corriger(rapport=rapport, user=cd)


# --- Ce que chacun peut faire ---------------------------------------------------------

ATTENDU = {
    # statut : {qui : actions}
    "brouillon": {"cd": {"rediger", "soumettre"}, "ddets": set(), "ars": set()},
    "soumis": {
        "cd": {"rediger", "valider"},
        "ddets": {"commenter", "valider"},
        "ars": {"commenter", "valider"},
    },
    "valide": {"cd": {"arreter"}, "ddets": {"arreter"}, "ars": {"arreter"}},
    "arrete": {"cd": {"corriger"}, "ddets": set(), "ars": set()},
}


@pytest.mark.parametrize("statut", list(ATTENDU))
def test_actions_possibles_selon_l_etat_et_la_partie(
    request, statut, cd, ddets, ars, referent, lecteur, autre_departement
):
    rapport = request.getfixturevalue({"brouillon": "rapport"}.get(statut, statut))
    for qui, attendu in ATTENDU[statut].items():
        assert rapport.actions_possibles(request.getfixturevalue(qui)) == attendu, qui
    for user in (referent, lecteur, autre_departement):
        assert rapport.actions_possibles(user) == set()
