"""Valeurs des indicateurs quantitatifs : saisie, taux calculé, incohérences, droits, page."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD, demo_load
from pilotage.suivi.checks import inconsistencies
from pilotage.suivi.models import ValeurIndicateur
from pilotage.suivi.services import valeur_create
from tests.factories import ContratFactory, UserFactory, grant, make_fiche
from tests.htmx import assert_htmx_swap_matches_full_render


@pytest.fixture
def indicateur(db):
    return make_fiche(ContratFactory()).indicateurs.get()


def test_a_rate_is_computed_from_numerator_and_denominator(indicateur):
    indicateur.unite = "pourcentage"
    indicateur.save()
    valeur = valeur_create(
        indicateur=indicateur,
        user=None,
        annee=2024,
        numerateur=Decimal(51),
        denominateur=Decimal(747),
    )
    assert valeur.taux == Decimal("6.8")
    assert valeur.affichage == "51 / 747 = 6,8 %"


def test_a_value_or_a_ratio_is_required_and_the_denominator_must_be_positive(indicateur):
    with pytest.raises(ValidationError):
        valeur_create(indicateur=indicateur, user=None, annee=2024)
    with pytest.raises(ValidationError):
        valeur_create(
            indicateur=indicateur,
            user=None,
            annee=2024,
            numerateur=Decimal(1),
            denominateur=Decimal(0),
        )
    assert ValeurIndicateur.objects.count() == 0


def test_a_stated_rate_that_does_not_match_its_numbers_is_flagged(indicateur):
    ok = valeur_create(
        indicateur=indicateur,
        user=None,
        annee=2023,
        numerateur=Decimal(63),
        denominateur=Decimal(704),
        taux_indique=Decimal(9),
    )
    wrong = valeur_create(
        indicateur=indicateur,
        user=None,
        annee=2024,
        numerateur=Decimal(51),
        denominateur=Decimal(747),
        taux_indique=Decimal(8),
    )
    flags = inconsistencies([ok, wrong])
    assert ok.pk not in flags
    assert "ne correspond pas au calcul (51 / 747 = 6,8 %)" in flags[wrong.pk][0]


def test_the_same_period_entered_twice_with_different_values_is_flagged(indicateur):
    a = valeur_create(indicateur=indicateur, user=None, annee=2024, valeur=Decimal(424))
    b = valeur_create(indicateur=indicateur, user=None, annee=2024, valeur=Decimal(598))
    c = valeur_create(indicateur=indicateur, user=None, annee=2024, semestre=1, valeur=Decimal(300))
    flags = inconsistencies([a, b, c])
    assert "Plusieurs valeurs différentes pour 2024" in flags[a.pk][0]
    assert b.pk in flags
    assert c.pk not in flags


@pytest.mark.parametrize("nb_values", [1, 12])
def test_indicator_page_queries_do_not_grow_with_values(
    client, db, django_assert_max_num_queries, nb_values
):
    contrat = ContratFactory()
    fiche = make_fiche(contrat)
    for numero in range(2, 5):
        make_fiche(contrat, numero=numero)
    indicateur = fiche.indicateurs.get()
    for year in range(nb_values):
        valeur_create(indicateur=indicateur, user=None, annee=2015 + year, valeur=Decimal(year))
    user = UserFactory()
    grant(user, contrat)
    client.force_login(user)
    client.get(f"/contrats/{contrat.pk}/fiches/1/indicateurs/")
    with django_assert_max_num_queries(12):
        assert client.get(f"/contrats/{contrat.pk}/fiches/1/indicateurs/").status_code == 200


def test_demo_has_the_published_figures_and_surfaces_the_747_vs_770_inconsistency(db):
    demo_load()
    contrat = Contrat.objects.get(departement__code="23")
    # « Nombre d'IP entrantes : 2023 : 424 » et « … en 2024 : 598 » : un indicateur.
    ip = contrat.fiches.get(numero=6).indicateurs.get(libelle="Nombre d'IP entrantes")
    assert [(v.annee, v.valeur) for v in ip.valeurs.all()] == [(2023, 424), (2024, 598)]
    epp = list(
        ValeurIndicateur.objects.filter(
            indicateur__fiche__contrat=contrat, indicateur__fiche__numero=1
        )
    )
    assert {(v.numerateur, v.denominateur) for v in epp} == {(51, 747), (51, 770)}
    assert all(v.pk in inconsistencies(epp) for v in epp)
    demo_load()
    # 9 valeurs publiées, et celles des lignes réunies des fiches 13 (MAP) et 15 (CJM).
    assert ValeurIndicateur.objects.of_contrat(contrat).count() == 13


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def _post(client, contrat, indicateur, **data):
    prefix = f"i{indicateur.pk}"
    payload = {"indicateur": indicateur.pk}
    payload.update({f"{prefix}-{k}": v for k, v in data.items()})
    return client.post(f"/contrats/{contrat.pk}/fiches/6/indicateurs/", payload)


def test_a_contributor_records_a_value_and_sees_it(client, demo):
    client.login(username="contributeur@demo.pilotage.test", password=DEMO_PASSWORD)
    indicateur = demo.fiches.get(numero=6).indicateurs.get(libelle="Nombre d'ETP dédiés en CRIP")
    response = _post(client, demo, indicateur, annee=2025, valeur="3.5", source="Comptage interne")
    assert response.status_code == 302
    valeur = indicateur.valeurs.get()
    assert (valeur.annee, valeur.valeur, valeur.source) == (
        2025,
        Decimal("3.5"),
        "Comptage interne",
    )
    assert valeur.user.email == "contributeur@demo.pilotage.test"
    page = client.get(response["Location"]).content.decode()
    assert "Comptage interne" in page


def test_htmx_submission_returns_only_the_indicator_block(client, demo):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    indicateur = demo.fiches.get(numero=6).indicateurs.get(libelle="Conventions conclues")
    prefix = f"i{indicateur.pk}"
    before = client.get(f"/contrats/{demo.pk}/fiches/6/indicateurs/")
    response = client.post(
        f"/contrats/{demo.pk}/fiches/6/indicateurs/",
        {"indicateur": indicateur.pk, f"{prefix}-annee": 2025, f"{prefix}-valeur": 2},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'id="indicateur-{indicateur.pk}"' in body
    assert "La valeur a été enregistrée." in body
    assert_htmx_swap_matches_full_render(
        before,
        f"//form[@hx-target='#indicateur-{indicateur.pk}']",
        response,
        client.get(f"/contrats/{demo.pk}/fiches/6/indicateurs/"),
        transient=[f"//*[@id='indicateur-{indicateur.pk}']//*[@role='status']"],
    )


def test_an_invalid_value_gets_a_french_message_and_nothing_is_saved(client, demo):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    indicateur = demo.fiches.get(numero=6).indicateurs.get(libelle="Conventions conclues")
    response = _post(client, demo, indicateur, annee=2025, numerateur=3)
    assert response.status_code == 400
    assert (
        "Un taux demande à la fois un numérateur et un dénominateur." in response.content.decode()
    )
    assert not indicateur.valeurs.exists()


def test_a_value_comment_with_personal_data_is_held_until_the_author_confirms(client, demo):
    from pilotage.core.models import PersonalDataConfirmation

    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    indicateur = demo.fiches.get(numero=6).indicateurs.get(libelle="Conventions conclues")
    comment = "Chiffre donné par Mme Dupont, tél 06 12 34 56 78"
    response = _post(client, demo, indicateur, annee=2025, valeur=2, commentaire=comment)
    assert response.status_code == 400
    assert "Données personnelles possibles" in response.content.decode()
    assert not indicateur.valeurs.exists()
    response = _post(
        client,
        demo,
        indicateur,
        annee=2025,
        valeur=2,
        commentaire=comment,
        confirm_personal_data="on",
    )
    assert response.status_code == 302
    valeur = indicateur.valeurs.get()
    assert valeur.commentaire == comment
    trace = PersonalDataConfirmation.objects.get()
    assert trace.target == valeur


def test_a_reader_cannot_record_values(client, demo):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    indicateur = demo.fiches.get(numero=6).indicateurs.get(libelle="Conventions conclues")
    assert client.get(f"/contrats/{demo.pk}/fiches/6/indicateurs/").status_code == 200
    assert _post(client, demo, indicateur, annee=2025, valeur=2).status_code == 403


def test_a_user_of_another_departement_gets_404_on_indicators(client, demo):
    client.login(username="pilote.41@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{demo.pk}/fiches/6/indicateurs/").status_code == 404


def test_chart_and_accessible_table_show_the_figures(client, demo):
    client.login(username="lecteur@demo.pilotage.test", password=DEMO_PASSWORD)
    page = client.get(f"/contrats/{demo.pk}/fiches/6/indicateurs/").content.decode()
    assert "<svg" in page and 'aria-hidden="true"' in page
    assert ">424</text>" in page and ">598</text>" in page
    assert "<caption>Valeurs saisies pour" in page


def test_contract_export_includes_indicator_values(demo):
    from pilotage.contrats.export import contrat_export

    data = contrat_export(demo)
    fiche6 = next(f for f in data["fiches"] if f["numero"] == 6)
    ip = next(i for i in fiche6["indicateurs"] if i["libelle"] == "Nombre d'IP entrantes")
    assert [(v["annee"], v["valeur"]) for v in ip["valeurs"]] == [(2023, 424), (2024, 598)]
    fiche1 = data["fiches"][0]
    rates = [v["taux"] for i in fiche1["indicateurs"] for v in i["valeurs"]]
    assert sorted(rates) == [6.6, 6.8]
