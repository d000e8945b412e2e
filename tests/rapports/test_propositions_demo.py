"""Bilan d'exécution et perspectives proposés à partir des données sur la démonstration
2025-2027 de la Creuse : relevés validés, notes de séance et décisions de 2026, chacun
avec le lien vers l'endroit où il a été saisi."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pilotage.contrats.models import Contrat
from pilotage.rapports import services
from pilotage.rapports.models import SectionRapport
from pilotage.reunions.models import Decision
from pilotage.suivi.models import Releve

BILAN = SectionRapport.Rubrique.BILAN
PERSPECTIVES = SectionRapport.Rubrique.PERSPECTIVES
BADGE = "Brouillon proposé à partir des données — à relire"


@pytest.fixture
def creuse(demo_data):
    return Contrat.objects.get(departement__code="23", generation__code="2025-2027")


@pytest.fixture
def pilote_cd(creuse):
    return get_user_model().objects.get(email="pilote.cd@demo.pilotage.test")


@pytest.fixture
def rapport(creuse, pilote_cd):
    return services.rapport_create(contrat=creuse, annee=2026, user=pilote_cd)


def _section(rapport, numero, rubrique):
    return rapport.sections.get(rubrique=rubrique, fiche__numero=numero)


def test_le_bilan_de_la_fiche_1_reprend_le_releve_les_notes_et_la_decision_de_2026(rapport):
    section = _section(rapport, 1, BILAN)
    assert section.prerempli
    texte = section.texte
    assert "Relevé du 12/03/2026 (Consultation prénatale, centre de PMI de Guéret)" in texte
    assert "la grille de repérage a été utilisée pour toutes les premières consultations" in texte
    assert "Réunion du 12/03/2026 : L'ARS relaie la démarche" in texte
    assert "Associer le réseau de périnatalité" in texte and "appliquée" in texte
    assert "Brouillon en cours de rédaction" not in texte  # relevé non validé


def test_les_perspectives_reprennent_ameliorations_et_decisions_ouvertes(rapport):
    fiche_1 = _section(rapport, 1, PERSPECTIVES).texte
    assert "Transmettre la grille aux sages-femmes libérales." in fiche_1
    assert "Les sages-femmes libérales ne connaissent pas encore la grille" in fiche_1
    fiche_6 = _section(rapport, 6, PERSPECTIVES).texte
    ouverte = Decision.objects.get(
        point__fiche__contrat=rapport.contrat, texte__startswith="Présenter au prochain comité"
    )
    if ouverte.est_ouverte:
        assert "Décision à mettre en œuvre" in fiche_6 and "Présenter au prochain comité" in fiche_6
    assert _section(rapport, 6, BILAN).texte.count("\n- ") >= 1


def test_chaque_element_renvoie_a_l_endroit_ou_il_a_ete_saisi(rapport):
    releve = Releve.objects.get(fiche__contrat=rapport.contrat, date_observation="2026-03-12")
    decision = Decision.objects.get(texte__startswith="Associer le réseau de périnatalité")
    reunion = decision.point.reunion
    sources = {s["url"]: s["libelle"] for s in _section(rapport, 1, BILAN).sources}
    releve_url = reverse("suivi:releve", args=[rapport.contrat_id, releve.pk])
    seance_url = reverse("reunions:seance_fiche", args=[rapport.contrat_id, reunion.pk, 1])
    assert sources[releve_url].startswith("Relevé du 12/03/2026")
    assert sources[seance_url] == "Comité de suivi du 12/03/2026 (2026 – réunion 1)"
    assert f"{seance_url}#decision-{decision.pk}" in sources


def test_la_page_marque_la_proposition_et_montre_ses_sources(client, rapport, pilote_cd):
    client.force_login(pilote_cd)
    page = html.unescape(
        client.get(
            reverse("rapports:rapport", args=[rapport.contrat_id, rapport.annee])
        ).content.decode()
    )
    assert BADGE in page
    assert "D'où vient cette proposition" in page
    releve = Releve.objects.get(fiche__contrat=rapport.contrat, date_observation="2026-03-12")
    assert reverse("suivi:releve", args=[rapport.contrat_id, releve.pk]) in page


def test_une_annee_sans_releve_ni_reunion_n_a_rien_de_propose(creuse, pilote_cd):
    rapport = services.rapport_create(contrat=creuse, annee=2025, user=pilote_cd)
    assert not rapport.sections.filter(prerempli=True, rubrique=BILAN).exists()


def _section_url(rapport, numero, rubrique=BILAN):
    return reverse("rapports:section", args=[rapport.contrat_id, rapport.annee, rubrique, numero])


def _post(client, rapport, section, texte, **extra):
    prefix = f"section-{section.rubrique}-{section.fiche.numero}"
    data = {f"{prefix}-texte": texte, f"{prefix}-version": section.version, **extra}
    return client.post(
        _section_url(rapport, section.fiche.numero, section.rubrique), data, HTTP_HX_REQUEST="true"
    )


def test_la_marque_disparait_quand_un_pilote_enregistre_la_section(client, rapport, pilote_cd):
    section = _section(rapport, 6, BILAN)
    client.force_login(pilote_cd)
    response = _post(client, rapport, section, section.texte + "\n- Relu en comité.")
    assert response.status_code == 200
    assert BADGE not in html.unescape(response.content.decode())
    section.refresh_from_db()
    assert not section.prerempli and section.texte.endswith("Relu en comité.")
    assert _section(rapport, 6, PERSPECTIVES).prerempli  # les autres restent à relire


def test_enregistrer_la_proposition_telle_quelle_la_marque_relue(rapport, pilote_cd):
    section = _section(rapport, 2, BILAN)
    services.section_save(
        rapport=rapport, user=pilote_cd, rubrique=BILAN, fiche=section.fiche, texte=section.texte
    )
    section.refresh_from_db()
    assert not section.prerempli and section.version == 2


def test_le_garde_fou_donnees_personnelles_s_applique_a_la_proposition_modifiee(
    client, rapport, pilote_cd
):
    section = _section(rapport, 13, BILAN)
    client.force_login(pilote_cd)
    texte = section.texte + "\n- Appeler Mme Dupont au 06 12 34 56 78."
    response = _post(client, rapport, section, texte)
    assert response.status_code == 400
    assert "Données personnelles possibles" in html.unescape(response.content.decode())
    section.refresh_from_db()
    assert section.prerempli and "Dupont" not in section.texte


def test_les_propositions_coutent_une_requete_par_sorte_de_source(
    creuse, pilote_cd, django_assert_num_queries
):
    from pilotage.rapports.content.propositions import propositions_annee

    # fiches, rang des réunions, relevés, notes de séance, décisions, étapes : quel que
    # soit le nombre de fiches du contrat (7 ont ici quelque chose à proposer).
    with django_assert_num_queries(6):
        propositions = propositions_annee(creuse, 2026, user=pilote_cd)
    assert len(propositions) >= 7
