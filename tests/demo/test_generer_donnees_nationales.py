"""Jeu de données national fictif (`generer_donnees_nationales`, issue 15) : contrats
signés des premiers départements, marqués fictifs à l'écran, idempotent, et vus par la
comparaison nationale des indicateurs."""

import pytest
from django.core.management import CommandError, call_command

from pilotage.consolidation.comparaison import comparaison_for, indicateurs_de
from pilotage.contrats.models import Contrat, FicheAction, Habilitation
from pilotage.core.models import Revision
from pilotage.demo.services.national import pilote_email
from pilotage.referentiel.models import Generation
from pilotage.reunions.models import Decision, Reunion
from pilotage.suivi.models import Releve, ValeurIndicateur
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, UserFactory

pytestmark = pytest.mark.django_db

PREMIERS = ["01", "02", "03"]


@pytest.fixture
def genere(capsys):
    call_command("generer_donnees_nationales", "--departements", "3", "--fiches", "2")
    return capsys.readouterr().out


def test_it_creates_a_signed_contract_per_departement_with_its_follow_up(genere):
    contrats = Contrat.objects.filter(donnees_fictives=True).order_by("departement__code")
    assert [c.departement.code for c in contrats] == PREMIERS
    for contrat in contrats:
        assert contrat.statut == Contrat.Statut.SIGNE and contrat.version_signee
        assert contrat.fiches.count() == 2
        fiche = contrat.fiches.get(numero=1)
        assert fiche.objectifs.exists() and fiche.acteurs.exists()
        assert fiche.financements.exists() and fiche.jalons.exists()
        assert fiche.indicateurs.filter(indicateur_national__isnull=False).exists()
        assert Revision.objects.for_object(fiche).get().changes.exists()
        annees = set(ValeurIndicateur.objects.of_contrat(contrat).values_list("annee", flat=True))
        assert annees == {2025, 2026}
        assert Releve.objects.filter(fiche__contrat=contrat, statut="valide").exists()
        assert Reunion.objects.filter(contrat=contrat).count() == 6
        assert Decision.objects.filter(point__reunion__contrat=contrat).exists()
        pilotes = Habilitation.objects.filter(contrat=contrat, role=Habilitation.Role.PILOTE)
        assert pilotes.count() == 3
    assert "3 contrat(s) créé(s)" in genere


def test_running_it_again_creates_nothing(genere, capsys):
    counts = (Contrat.objects.count(), FicheAction.objects.count(), Reunion.objects.count())
    call_command("generer_donnees_nationales", "--departements", "3", "--fiches", "2")
    assert (Contrat.objects.count(), FicheAction.objects.count(), Reunion.objects.count()) == (
        counts
    )
    assert "0 contrat(s) créé(s), 3 département(s) déjà pourvu(s)" in capsys.readouterr().out


def test_a_departement_that_already_has_a_contract_is_left_alone(db):
    """Comme la Creuse de la démonstration : son contrat et ses comptes restent."""
    UserFactory(email="pilote.cd@demo.pilotage.test")
    existing = ContratFactory(departement=Departement.objects.get(code="02"))
    call_command("generer_donnees_nationales", "--departements", "3", "--fiches", "2")
    existing.refresh_from_db()
    assert not existing.donnees_fictives and not existing.fiches.exists()
    assert Contrat.objects.filter(donnees_fictives=True).count() == 2


def test_the_contents_are_marked_fictitious_on_screen(genere, client):
    contrat = Contrat.objects.get(departement__code="01")
    assert all(
        t.startswith("[Données fictives] ") for t in contrat.fiches.values_list("titre", flat=True)
    )
    assert all(s.fonction.startswith("[Données fictives] ") for s in contrat.signataires.all())
    client.force_login(contrat.habilitations.first().user)
    page = client.get(f"/contrats/{contrat.pk}/").content.decode()
    assert "fr-notice" in page and "Données fictives" in page
    assert "Données fictives" in client.get("/").content.decode()


def test_a_generated_pilote_logs_in_with_the_demo_password(genere, client):
    from pilotage.demo.services import DEMO_PASSWORD

    assert client.login(email=pilote_email("ddets", "03"), password=DEMO_PASSWORD)
    page = client.get("/").content.decode()
    assert "Allier" in page and "Aisne" not in page


def test_the_national_comparison_sees_the_generated_values(genere):
    national = UserFactory(perimetre="national")
    indicateurs = list(indicateurs_de(Generation.objects.get(code="2025-2027")))
    comparaisons = comparaison_for(indicateurs, user=national, region=None)
    with_values = [c for c in comparaisons.values() if c.stats.n]
    assert with_values
    for comparaison in with_values:
        codes = {ligne.departement.code for ligne in comparaison.lignes if not ligne.manquante}
        assert codes == set(PREMIERS)
        assert all(ligne.annee == 2026 for ligne in comparaison.lignes if not ligne.manquante)


def test_it_refuses_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="mode démonstration"):
        call_command("generer_donnees_nationales", "--departements", "1")
    assert not Contrat.objects.exists()
