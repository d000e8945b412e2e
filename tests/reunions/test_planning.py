"""Planification des réunions : date proposée, formulaire (ordre du jour), droits,
participants en HTMX, annulation, bloc de la page du contrat, décisions, requêtes bornées."""

import datetime
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotage.reunions import selectors, services
from pilotage.reunions.models import Participation, Reunion
from pilotage.territoires.models import Departement, Institution
from tests.factories import (
    ContratFactory,
    InstitutionFactory,
    UserFactory,
    grant,
    make_fiche,
    make_reunion,
)
from tests.htmx import assert_htmx_swap_matches_full_render, fill
from tests.reunions.helpers import at, url

SIGNATURE = datetime.date(2025, 3, 1)


def text(response) -> str:
    """Le HTML de la réponse, entités décodées (« n'est » plutôt que « n&#x27;est »)."""
    return unescape(response.content.decode())


@pytest.fixture
def pilote_ddets(contrat):
    user = UserFactory(
        first_name="Paul",
        last_name="Etat",
        institution=InstitutionFactory(nom="DDETS de la Creuse", type=Institution.Type.DDETS),
    )
    grant(user, contrat)
    return user


@pytest.fixture
def etranger(db):
    """Pilote d'un autre département : ne voit pas le contrat de la Creuse."""
    autre = ContratFactory(departement=Departement.objects.get(code="19"))
    user = UserFactory()
    grant(user, autre)
    return user


def form_data(**overrides) -> dict:
    day = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "type": "comite_suivi",
        "jour": day.isoformat(),
        "heure": "14:00",
        "duree_minutes": "120",
        "lieu": "Hôtel du département, salle 3, Guéret",
        "lien_visio": "",
        "ordre_du_jour": "a_impact",
    }
    data.update(overrides)
    return data


# --- Date proposée ----------------------------------------------------------------------


def test_next_meeting_is_proposed_6_to_8_months_after_the_signature_without_any_meeting(
    contrat,
):
    proposition = selectors.prochaine_reunion(contrat)
    assert proposition.derniere is None and proposition.prochaine is None
    assert (proposition.debut, proposition.fin) == (
        datetime.date(2025, 9, 1),
        SIGNATURE.replace(month=11),
    )
    assert proposition.alerte


def test_next_meeting_is_proposed_6_to_8_months_after_the_last_meeting(contrat, pilote):
    derniere = make_reunion(contrat, pilote, at(-30))
    make_reunion(contrat, pilote, at(-300))
    proposition = selectors.prochaine_reunion(contrat)
    assert proposition.derniere == derniere
    day = timezone.localdate() - datetime.timedelta(days=30)
    assert proposition.debut == selectors._add_months(day, 6)
    assert proposition.fin == selectors._add_months(day, 8)
    assert proposition.alerte and not proposition.en_retard


def test_cancelled_meetings_do_not_count_as_last_or_next(contrat, pilote):
    annulee = make_reunion(contrat, pilote, at(20))
    services.reunion_cancel(reunion=annulee, user=pilote)
    proposition = selectors.prochaine_reunion(contrat)
    assert proposition.prochaine is None and proposition.alerte


def test_preloaded_meetings_give_the_same_proposition_as_the_queries(contrat, pilote):
    make_reunion(contrat, pilote, at(-40))
    make_reunion(contrat, pilote, at(60))
    annulee = make_reunion(contrat, pilote, at(10))
    services.reunion_cancel(reunion=annulee, user=pilote)
    loaded = list(contrat.reunions.all())
    assert selectors.prochaine_reunion(contrat, reunions=loaded) == selectors.prochaine_reunion(
        contrat
    )


def test_list_warns_when_nothing_is_planned_and_the_window_is_past(client, contrat, pilote):
    client.force_login(pilote)
    response = client.get(reverse("reunions:list", args=[contrat.pk]))
    html = text(response)
    assert response.status_code == 200
    assert "fr-alert--error" in html
    assert "la date conseillée est dépassée" in html
    assert "entre le 1 septembre 2025 et le 1 novembre 2025" in html
    assert "signature du contrat, le 1 mars 2025" in html
    assert reverse("reunions:create", args=[contrat.pk]) in html


def test_list_warns_softly_while_the_window_is_still_ahead(client, contrat, pilote):
    make_reunion(contrat, pilote, at(-10))
    client.force_login(pilote)
    html = text(client.get(reverse("reunions:list", args=[contrat.pk])))
    assert "fr-alert--warning" in html and "Aucune réunion de suivi n'est planifiée" in html
    assert "6 à 8 mois après la réunion du" in html


def test_list_shows_upcoming_and_past_meetings_with_their_title_and_report_status(
    client, contrat, pilote
):
    passee = make_reunion(contrat, pilote, at(-10))
    make_reunion(contrat, pilote, at(45), type="comite_pilotage")
    client.force_login(pilote)
    html = text(client.get(reverse("reunions:list", args=[contrat.pk])))
    assert "Prochaine réunion de suivi" in html and "fr-alert--warning" not in html
    assert passee.titre in html and "Comité de pilotage" in html
    assert "Compte rendu à préparer" in html and "Planifiée" in html
    assert "Créer mon adresse d'abonnement" in html  # abonnement de l'agenda


def test_create_form_is_prefilled_at_the_start_of_the_proposed_window(client, contrat, pilote):
    make_reunion(contrat, pilote, at(-10))
    client.force_login(pilote)
    response = client.get(reverse("reunions:create", args=[contrat.pk]))
    debut = selectors.prochaine_reunion(contrat).debut
    assert response.context["form"].initial["jour"] == debut


def test_create_form_proposes_a_near_date_when_the_window_is_past(client, contrat, pilote):
    client.force_login(pilote)
    response = client.get(reverse("reunions:create", args=[contrat.pk]))
    assert response.context["form"].initial["jour"] > timezone.localdate()


# --- Création et modification -------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "extra", "numeros"),
    [
        ("toutes", {}, [1, 2, 3, 4]),
        ("a_impact", {}, [1, 3]),
        ("selection", {"fiches": "SELECTION"}, [2, 4]),
    ],
)
def test_create_a_meeting_with_each_agenda_mode(
    client, contrat, pilote, pilote_ddets, fiches, mode, extra, numeros
):
    if extra:
        extra = {"fiches": [str(fiches[1].pk), str(fiches[3].pk)]}
    client.force_login(pilote)
    response = client.post(
        reverse("reunions:create", args=[contrat.pk]), form_data(ordre_du_jour=mode, **extra)
    )
    reunion = Reunion.objects.get(contrat=contrat)
    assert response.status_code == 302 and response["Location"] == url("detail", reunion)
    assert reunion.ordre_du_jour == mode
    assert sorted(reunion.points.values_list("fiche__numero", flat=True)) == numeros
    assert timezone.localtime(reunion.date).hour == 14
    assert reunion.created_by == pilote
    # Les pilotes du contrat sont inscrits d'office.
    assert set(reunion.participations.values_list("user", flat=True)) == {
        pilote.pk,
        pilote_ddets.pk,
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"jour": "31/02/2026"}, "jour"),
        ({"lieu": "", "lien_visio": ""}, "lieu"),
        ({"lien_visio": "pas une adresse"}, "lien_visio"),
        ({"ordre_du_jour": "selection"}, "fiches"),
        ({"duree_minutes": "0"}, "duree_minutes"),
        ({"type": "apero"}, "type"),
    ],
)
def test_invalid_form_answers_400_and_saves_nothing(
    client, contrat, pilote, fiches, overrides, field
):
    client.force_login(pilote)
    response = client.post(reverse("reunions:create", args=[contrat.pk]), form_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "Rien n'a été enregistré" in text(response)
    assert not Reunion.objects.exists()


def test_create_form_lists_fiches_with_impact_badge(client, contrat, pilote, fiches):
    client.force_login(pilote)
    html = text(client.get(reverse("reunions:create", args=[contrat.pk])))
    assert "n°1 – Fiche de test n°1" in html
    assert html.count("À impact</span>") == 2
    assert 'class="fr-fieldset__element choix-fiches"' in html


def test_edit_changes_the_date_and_raises_the_ics_sequence(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20), ordre_du_jour="a_impact")
    client.force_login(pilote)
    edit = client.get(url("edit", reunion))
    assert edit.context["form"].initial["jour"] == timezone.localdate() + datetime.timedelta(20)
    response = client.post(
        url("edit", reunion),
        form_data(
            jour=(timezone.localdate() + datetime.timedelta(days=27)).isoformat(),
            ordre_du_jour="selection",
            fiches=[str(fiches[1].pk)],
        ),
    )
    assert response.status_code == 302
    reunion.refresh_from_db()
    assert reunion.sequence == 1
    assert timezone.localtime(reunion.date).date() == timezone.localdate() + datetime.timedelta(27)
    assert list(reunion.points.values_list("fiche__numero", flat=True)) == [2]


def test_edit_without_change_of_date_or_place_keeps_the_sequence(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20), ordre_du_jour="a_impact")
    client.force_login(pilote)
    data = form_data(
        jour=(timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        lieu=reunion.lieu,
        ordre_du_jour="toutes",
    )
    assert client.post(url("edit", reunion), data).status_code == 302
    reunion.refresh_from_db()
    assert reunion.sequence == 0 and reunion.points.count() == 4


def test_invalid_edit_answers_400_and_changes_nothing(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(pilote)
    response = client.post(url("edit", reunion), form_data(heure="25:99"))
    assert response.status_code == 400
    reunion.refresh_from_db()
    assert reunion.sequence == 0 and reunion.date == at(20)


def test_cancel_asks_for_confirmation_then_cancels(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(pilote)
    confirm = client.get(url("edit", reunion) + "?annuler=1")
    assert "Confirmer l'annulation" in text(confirm)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.PLANIFIEE
    response = client.post(url("edit", reunion), {"action": "annuler"})
    assert response.status_code == 302
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.ANNULEE and reunion.sequence == 1
    # Une réunion annulée ne se modifie plus.
    assert client.get(url("edit", reunion)).status_code == 302


def test_a_held_meeting_cannot_be_cancelled(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(-20))
    services.reunion_tenir(reunion=reunion, user=pilote)
    client.force_login(pilote)
    assert "Annuler la réunion" not in text(client.get(url("detail", reunion)))
    response = client.post(url("edit", reunion), {"action": "annuler"}, follow=True)
    assert "ne peut plus être annulée" in text(response)
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.TENUE and reunion.sequence == 0


# --- Droits -------------------------------------------------------------------------------


def test_reader_sees_the_meetings_but_cannot_plan_edit_or_invite(client, contrat, pilote, lecteur):
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(lecteur)
    liste = client.get(reverse("reunions:list", args=[contrat.pk]))
    assert liste.status_code == 200
    assert reverse("reunions:create", args=[contrat.pk]) not in text(liste)
    assert client.get(url("detail", reunion)).status_code == 200
    assert client.get(reverse("reunions:create", args=[contrat.pk])).status_code == 403
    assert (
        client.post(reverse("reunions:create", args=[contrat.pk]), form_data()).status_code == 403
    )
    assert client.post(url("edit", reunion), form_data()).status_code == 403
    assert client.post(url("invitations", reunion)).status_code == 403
    participation = reunion.participations.first()
    response = client.post(
        url("participants", reunion),
        {
            "action": "statut",
            "participation": participation.pk,
            f"p{participation.pk}-statut": "excuse",
        },
    )
    assert response.status_code == 403
    participation.refresh_from_db()
    assert participation.statut == Participation.Statut.INVITE
    assert Reunion.objects.count() == 1


def test_user_of_another_department_gets_404_everywhere(client, contrat, pilote, etranger):
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(etranger)
    for name in ("list", "create", "contrat_ics", "decisions"):
        assert client.get(reverse(f"reunions:{name}", args=[contrat.pk])).status_code == 404
    for name in ("detail", "edit", "participants", "ics"):
        assert client.get(url(name, reunion)).status_code == 404
    assert client.post(url("invitations", reunion)).status_code == 404
    assert client.post(url("edit", reunion), {"action": "annuler"}).status_code == 404
    reunion.refresh_from_db()
    assert reunion.statut == Reunion.Statut.PLANIFIEE


def test_anonymous_is_sent_to_the_login_page(client, contrat, pilote):
    reunion = make_reunion(contrat, pilote, at(20))
    for address in (
        reverse("reunions:list", args=[contrat.pk]),
        url("detail", reunion),
        url("ics", reunion),
    ):
        response = client.get(address)
        assert response.status_code == 302 and "next=" in response["Location"]


# --- Page de la réunion et participants ----------------------------------------------


def test_meeting_page_shows_participants_by_institution_agenda_and_links(
    client, contrat, pilote, pilote_ddets, fiches
):
    precedente = make_reunion(contrat, pilote, at(-200), ordre_du_jour="toutes")
    services.decision_create(
        point=precedente.points.get(fiche__numero=2),
        auteur=pilote,
        fields={"categorie": "autre", "texte": "Présenter le bilan des visites", "porteur": "CD"},
    )
    reunion = make_reunion(contrat, pilote, at(20), ordre_du_jour="a_impact")
    client.force_login(pilote)
    html = text(client.get(url("detail", reunion)))
    assert "Conseil départemental de la Creuse" in html and "DDETS de la Creuse" in html
    assert "Claire Pilote" in html and "Paul Etat" in html
    assert "Reportée : décision ouverte" in html and "Présenter le bilan des visites" in html
    for name in ("dossier", "seance", "compte_rendu", "ics", "invitations"):
        assert url(name, reunion) in html
    assert "Annuler la réunion" in html


def test_participant_status_changes_in_htmx_and_returns_the_row(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    participation = reunion.participations.get(user=pilote)
    client.force_login(pilote)
    before = client.get(url("participants", reunion))
    response = client.post(
        url("participants", reunion),
        {
            "action": "statut",
            "participation": participation.pk,
            f"p{participation.pk}-statut": "present",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = text(response)
    assert html.strip().startswith(f'<tr id="participant-{participation.pk}"')
    assert "<html" not in html
    assert 'value="present" selected' in html
    participation.refresh_from_db()
    assert participation.statut == Participation.Statut.PRESENT
    assert_htmx_swap_matches_full_render(
        before,
        f"//*[@hx-target='#participant-{participation.pk}']",
        response,
        client.get(url("participants", reunion)),
    )


def test_participant_status_without_htmx_redirects_to_the_page(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    participation = reunion.participations.get(user=pilote)
    client.force_login(pilote)
    response = client.post(
        url("participants", reunion),
        {
            "action": "statut",
            "participation": participation.pk,
            f"p{participation.pk}-statut": "excuse",
        },
    )
    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.statut == Participation.Statut.EXCUSE


def test_forged_participant_status_is_refused(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    autre = make_reunion(contrat, pilote, at(40))
    participation = reunion.participations.get(user=pilote)
    client.force_login(pilote)
    bad_status = client.post(
        url("participants", reunion),
        {
            "action": "statut",
            "participation": participation.pk,
            f"p{participation.pk}-statut": "roi",
        },
        HTTP_HX_REQUEST="true",
    )
    assert bad_status.status_code == 400
    other_meeting = client.post(
        url("participants", autre),
        {
            "action": "statut",
            "participation": participation.pk,
            f"p{participation.pk}-statut": "excuse",
        },
    )
    assert other_meeting.status_code == 404
    participation.refresh_from_db()
    assert participation.statut == Participation.Statut.INVITE


def test_participants_address_renders_a_fragment_for_htmx_and_the_page_otherwise(
    client, contrat, pilote, fiches
):
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(pilote)
    fragment = text(client.get(url("participants", reunion), HTTP_HX_REQUEST="true"))
    assert fragment.strip().startswith('<div id="participants-liste"') and "<html" not in fragment
    page = text(client.get(url("participants", reunion)))
    assert "<html" in page and "Ordre du jour" in page
    assert_htmx_swap_matches_full_render(
        page,
        "#participants-liste",
        client.get(url("participants", reunion), HTTP_HX_REQUEST="true"),
        client.get(url("participants", reunion)),
        target="#participants-liste",
        swap="outerHTML",
    )


def test_add_an_authorised_user_and_an_outside_guest(client, contrat, pilote, lecteur, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(pilote)
    assert (
        client.post(
            url("participants", reunion), {"action": "ajouter", "user": lecteur.pk}
        ).status_code
        == 302
    )
    caf = Institution.objects.create(nom="CAF de la Creuse", type=Institution.Type.CAF)
    response = client.post(
        url("participants", reunion),
        {
            "action": "ajouter",
            "nom": "Directrice de l'action sociale",
            "email": "action.sociale@caf.exemple.test",
            "institution": caf.pk,
        },
    )
    assert response.status_code == 302
    guest = reunion.participations.get(user__isnull=True)
    assert guest.institution == caf and guest.adresse == "action.sociale@caf.exemple.test"
    assert reunion.participations.filter(user=lecteur).exists()


@pytest.mark.parametrize(
    "data",
    [
        {"nom": "Sans courriel"},
        {"email": "pas-une-adresse", "nom": "X"},
        {},
    ],
)
def test_invalid_participant_answers_400_and_adds_nobody(client, contrat, pilote, fiches, data):
    reunion = make_reunion(contrat, pilote, at(20))
    before = reunion.participations.count()
    client.force_login(pilote)
    response = client.post(url("participants", reunion), {"action": "ajouter", **data})
    assert response.status_code == 400
    assert reunion.participations.count() == before


def test_a_user_without_authorisation_on_the_contract_cannot_be_added(
    client, contrat, pilote, fiches
):
    reunion = make_reunion(contrat, pilote, at(20))
    inconnu = UserFactory()
    client.force_login(pilote)
    response = client.post(url("participants", reunion), {"action": "ajouter", "user": inconnu.pk})
    assert response.status_code == 400
    assert not reunion.participations.filter(user=inconnu).exists()


def test_remove_a_participant(client, contrat, pilote, pilote_ddets, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    participation = reunion.participations.get(user=pilote_ddets)
    client.force_login(pilote)
    response = client.post(
        url("participants", reunion), {"action": "retirer", "participation": participation.pk}
    )
    assert response.status_code == 302
    assert not reunion.participations.filter(user=pilote_ddets).exists()


# --- Bloc de la page du contrat et décisions -----------------------------------------------


def _decision(reunion, numero, texte, auteur, **fields):
    return services.decision_create(
        point=reunion.points.get(fiche__numero=numero),
        auteur=auteur,
        fields={"categorie": "autre", "texte": texte} | fields,
    )


def test_contract_page_warns_when_no_meeting_is_planned(client, contrat, pilote, fiches):
    client.force_login(pilote)
    html = text(client.get(reverse("contrats:contrat", args=[contrat.pk])))
    assert "Réunions de suivi" in html
    assert "Aucune réunion de suivi n'est planifiée" in html
    assert "Décisions ouvertes : 0" in html
    assert reverse("reunions:list", args=[contrat.pk]) in html
    assert reverse("reunions:create", args=[contrat.pk]) in html


def test_contract_page_shows_the_next_meeting_and_the_oldest_open_decisions(
    client, contrat, pilote, fiches
):
    ancienne = make_reunion(contrat, pilote, at(-300))
    recente = make_reunion(contrat, pilote, at(-100))
    for i in range(4):
        _decision(ancienne, 1 + i % 2, f"Décision ancienne {i}", pilote, porteur="DDETS")
    for i in range(3):
        _decision(recente, 3, f"Décision récente {i}", pilote, echeance=datetime.date(2026, 9, 30))
    close = _decision(recente, 4, "Décision close", pilote)
    services.decision_close(decision=close, user=pilote)
    prochaine = make_reunion(contrat, pilote, at(30))
    client.force_login(pilote)
    html = text(client.get(reverse("contrats:contrat", args=[contrat.pk])))
    assert "Prochaine réunion de suivi" in html and "Aucune réunion" not in html
    assert "à 14 h 00" in html  # heure locale, pas UTC
    assert url("detail", prochaine) in html
    assert "Décisions ouvertes : 7" in html
    assert all(f"Décision ancienne {i}" in html for i in range(4))
    assert "Décision récente 0" in html and "Décision récente 1" not in html
    assert "Décision close" not in html
    assert ancienne.titre in html and "DDETS" in html
    assert "Les 7 décisions ouvertes" in html


def test_contract_page_queries_do_not_grow_with_meetings_and_decisions(
    client, contrat, pilote, fiches
):
    reunion = make_reunion(contrat, pilote, at(-100))
    _decision(reunion, 1, "Première", pilote)
    address = reverse("contrats:contrat", args=[contrat.pk])
    client.force_login(pilote)

    def count():
        client.get(address)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(address).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    other = make_reunion(contrat, pilote, at(-50))
    for numero in (1, 2, 3, 4):
        _decision(other, numero, f"Décision {numero}", pilote)
    make_reunion(contrat, pilote, at(40))
    assert count() == before


def test_decisions_page_filters_by_status_and_fiche(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(-100))
    _decision(reunion, 1, "Ouverte fiche un", pilote)
    _decision(reunion, 2, "Ouverte fiche deux", pilote)
    close = _decision(reunion, 2, "Close fiche deux", pilote)
    services.decision_close(decision=close, user=pilote)
    client.force_login(pilote)
    address = reverse("reunions:decisions", args=[contrat.pk])
    default = text(client.get(address))
    assert "Ouverte fiche un" in default and "Close fiche deux" not in default
    closes = text(client.get(address, {"statut": "closes"}))
    assert "Close fiche deux" in closes and "Ouverte fiche un" not in closes
    fiche2 = client.get(address, {"statut": "toutes", "fiche": "2"}, HTTP_HX_REQUEST="true")
    html = text(fiche2)
    assert "<html" not in html and "Ouverte fiche deux" in html and "Close fiche deux" in html
    assert "Ouverte fiche un" not in html
    assert_htmx_swap_matches_full_render(
        fill(client.get(address), statut="toutes", fiche="2"),
        "//form[@hx-get]",
        fiche2,
        client.get(address, {"statut": "toutes", "fiche": "2"}),
    )


# --- Requêtes bornées ---------------------------------------------------------------


def _count(client, address) -> int:
    client.get(address)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


def test_list_and_meeting_pages_queries_do_not_grow_with_fiches_participants_or_meetings(
    client, contrat, pilote, pilote_ddets, lecteur
):
    for numero in (1, 2):
        make_fiche(contrat, numero, user=pilote, a_impact=True)
    precedente = make_reunion(contrat, pilote, at(-200))
    _decision(precedente, 1, "Reportée", pilote)
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(pilote)
    pages = [
        reverse("reunions:list", args=[contrat.pk]),
        url("detail", reunion),
        reverse("reunions:decisions", args=[contrat.pk]),
        reverse("reunions:contrat_ics", args=[contrat.pk]),
        url("ics", reunion),
    ]
    small = [_count(client, page) for page in pages]
    for numero in range(3, 15):
        make_fiche(contrat, numero, user=pilote, a_impact=True)
    services.reunion_agenda_set(reunion=reunion)
    for i in range(3):
        _decision(precedente, 2, f"Reportée {i}", pilote)
    for i in range(6):
        services.participation_add(
            reunion=reunion,
            nom=f"Invité {i}",
            email=f"invite{i}@exemple.test",
            institution=InstitutionFactory(nom=f"Partenaire {i}"),
        )
    services.participation_add(reunion=reunion, user=lecteur)
    for days in (-150, -90, 60, 90):
        make_reunion(contrat, pilote, at(days))
    assert [_count(client, page) for page in pages] == small
    assert max(small) <= 13  # compteur « Mes tâches » du menu compris


# --- Temps prévu par fiche ------------------------------------------------------------


def _durees(reunion, **by_numero):
    return {
        f"duree_{point.pk}": by_numero.get(f"n{point.fiche.numero}", "")
        for point in reunion.points.select_related("fiche")
    }


def test_pilot_sets_the_planned_time_of_each_fiche_for_the_timer(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(pilote)
    page = text(client.get(url("detail", reunion)))
    assert "Enregistrer les temps prévus" in page
    response = client.post(url("durees", reunion), _durees(reunion, n1="20", n2="15"))
    assert response.status_code == 302
    assert dict(reunion.points.values_list("fiche__numero", "duree_minutes")) == {
        1: 20,
        2: 15,
        3: None,
        4: None,
    }
    seance = text(client.get(url("seance_fiche", reunion, 1)))
    assert "20 min" in seance


def test_an_invalid_planned_time_is_refused_and_nothing_is_saved(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    client.force_login(pilote)
    response = client.post(url("durees", reunion), _durees(reunion, n1="20", n2="900"))
    assert response.status_code == 400
    assert "Au plus 240 minutes." in text(response)
    assert set(reunion.points.values_list("duree_minutes", flat=True)) == {None}


def test_planned_times_are_for_pilots_only(client, contrat, pilote, lecteur, etranger, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    data = _durees(reunion, n1="20")
    client.force_login(lecteur)
    assert "Enregistrer les temps prévus" not in text(client.get(url("detail", reunion)))
    assert client.post(url("durees", reunion), data).status_code == 403
    client.force_login(etranger)
    assert client.post(url("durees", reunion), data).status_code == 404
    assert set(reunion.points.values_list("duree_minutes", flat=True)) == {None}


def test_a_point_of_another_meeting_cannot_be_timed_through_this_one(contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    other = make_reunion(contrat, pilote, at(40))
    foreign = other.points.first()
    with pytest.raises(ValidationError):
        services.points_durees_set(reunion=reunion, user=pilote, durees={foreign.pk: 10})
    foreign.refresh_from_db()
    assert foreign.duree_minutes is None
