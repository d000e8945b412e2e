from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from pilotage.contrats.models import Contrat, FicheAction, Financement, Habilitation
from pilotage.core.models import Revision, RevisionChange
from pilotage.demo.services import ACCOUNTS, DEMO_PASSWORD
from tests.factories import ContratFactory


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23", generation__code="2025-2027")


def _amounts(fiche, financeur):
    return [(f.montant, f.valorisation) for f in fiche.financements.filter(financeur=financeur)]


def test_the_demo_refuses_to_load_outside_demo_mode(db, settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="mode démonstration"):
        call_command("charger_demo", "--silencieux")
    assert not Contrat.objects.exists()


def test_the_demo_refuses_a_database_holding_real_contracts(db):
    ContratFactory()
    with pytest.raises(CommandError, match="ne viennent pas de la démonstration"):
        call_command("charger_demo", "--silencieux")
    assert Contrat.objects.count() == 1


def test_make_demo_adds_a_small_fictitious_national_dataset(db, capsys):
    from unittest import mock

    from pilotage.demo.services.national import Bilan

    # Seul compte ici ce que la commande demande au jeu national : la démonstration
    # elle-même n'est pas chargée (sa charge réelle : test_commande_demo.py).
    command = "pilotage.demo.management.commands.charger_demo"
    with (
        mock.patch(f"{command}.demo_load", return_value={"contrats": 2, "comptes": 0}),
        mock.patch(f"{command}.demo_precedent_load", return_value=1),
        mock.patch(f"{command}.reindex_all", return_value=0),
        mock.patch(
            f"{command}.donnees_nationales_generer", return_value=Bilan(contrats=99)
        ) as generer,
    ):
        call_command("charger_demo", "--silencieux", "--national", "8")
    assert generer.call_args.kwargs["fiches"] == 8
    assert "99 contrat(s) fictif(s) créé(s)" in capsys.readouterr().out


def test_the_national_dataset_size_is_bounded(db):
    with pytest.raises(CommandError, match="entre 0 et 50"):
        call_command("charger_demo", "--silencieux", "--national", "500")


def test_demo_has_the_17_published_creuse_fiches_numbered_1_to_17(demo):
    assert list(demo.fiches.values_list("numero", flat=True)) == list(range(1, 18))


def test_fiche_1_has_14574_euros_from_the_state_and_14574_from_the_cd_as_valorisation(demo):
    fiche = demo.fiches.get(numero=1)
    assert _amounts(fiche, "etat") == [(Decimal("14574"), False)]
    assert _amounts(fiche, "cd") == [(Decimal("14574"), True)]


@pytest.mark.parametrize(
    ("numero", "financeur", "montant"),
    [
        (2, "cd", Decimal("7618")),
        (3, "etat", Decimal("22191")),
        (4, "etat", Decimal("25617")),
        (13, "caf", Decimal("57000")),
        (15, "etat", Decimal("54336")),
    ],
)
def test_published_amounts_are_transcribed(demo, numero, financeur, montant):
    fiche = demo.fiches.get(numero=numero)
    assert montant in [f.montant for f in fiche.financements.filter(financeur=financeur)]


def test_fiche_8_is_fully_funded_by_ondam_without_stated_amount(demo):
    fiche = demo.fiches.get(numero=8)
    assert [(f.financeur, f.montant) for f in fiche.financements.all()] == [("ondam", None)]


def test_multi_objective_headers_link_every_objective(demo):
    assert sorted(demo.fiches.get(numero=3).objectifs.values_list("numero", flat=True)) == [1, 2]
    assert sorted(demo.fiches.get(numero=8).objectifs.values_list("numero", flat=True)) == [
        13,
        14,
    ]


def test_national_indicators_are_linked_to_the_referentiel(demo):
    fiche = demo.fiches.get(numero=2)
    national = fiche.indicateurs.filter(indicateur_national__isnull=False)
    assert national.count() == 1
    assert "BESM" in national.get().indicateur_national.libelle


def test_every_fiche_has_its_creation_in_the_history(demo):
    for fiche in demo.fiches.all():
        assert Revision.objects.for_object(fiche).filter(source="demo").count() == 1


def test_loading_the_demo_twice_changes_nothing(demo):
    call_command("charger_demo", "--silencieux")  # ajoute le contrat 2020-2024 de la Creuse
    before = (
        FicheAction.objects.count(),
        Financement.objects.count(),
        Revision.objects.count(),
        RevisionChange.objects.count(),
        Habilitation.objects.count(),
        list(FicheAction.objects.values_list("version", flat=True)),
    )
    call_command("charger_demo", "--silencieux")
    after = (
        FicheAction.objects.count(),
        Financement.objects.count(),
        Revision.objects.count(),
        RevisionChange.objects.count(),
        Habilitation.objects.count(),
        list(FicheAction.objects.values_list("version", flat=True)),
    )
    assert before == after


def test_every_demo_account_can_log_in(demo, client):
    for account in ACCOUNTS:
        assert client.login(username=account.email, password=DEMO_PASSWORD), account.email


def test_demo_banner_is_shown(demo, client, settings):
    settings.DEMO_MODE = True
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    assert "Site de démonstration" in client.get("/").content.decode()


def test_second_departement_is_invisible_to_creuse_users(demo, client):
    other = Contrat.objects.get(departement__code="41")
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{other.pk}/").status_code == 404
    home = client.get("/").content.decode()
    assert "Loir-et-Cher" not in home
    assert "Creuse" in home


def test_signed_demo_contract_keeps_a_frozen_copy_of_its_signed_version(demo):
    assert demo.statut == "signe"
    assert len(demo.version_signee["fiches"]) == 17
    assert demo.version_signee["fiches"][0]["financements"][0]["montant"] == 14574


def test_admin_lists_contracts_and_keeps_fiches_read_only(demo, client):
    client.login(username="admin@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get("/admin/contrats/contrat/").status_code == 200
    fiche = demo.fiches.get(numero=1)
    assert client.get(f"/admin/contrats/ficheaction/{fiche.pk}/change/").status_code == 200
    assert client.get("/admin/contrats/ficheaction/add/").status_code == 403


def test_admin_shows_invitations_read_only_without_their_token(demo, client):
    from pilotage.contrats.invitations import Invitation

    client.login(username="admin@demo.pilotage.test", password=DEMO_PASSWORD)
    listing = client.get("/admin/contrats/invitation/")
    assert listing.status_code == 200
    invitation = Invitation.objects.first()
    assert invitation.email in listing.text
    page = client.get(f"/admin/contrats/invitation/{invitation.pk}/change/")
    assert page.status_code == 200
    assert invitation.token_hash not in page.text
    assert client.get("/admin/contrats/invitation/add/").status_code == 403
    user_page = client.get(f"/admin/comptes/user/{invitation.invited_by_id}/change/")
    assert "ProConnect" in user_page.text
    assert 'name="proconnect_sub"' not in user_page.text  # lu, jamais réécrit
