"""Mode séance : projection fiche par fiche, notes par personne, décisions typées,
application à la fiche, clôture, droits et requêtes bornées."""

import datetime
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats.models import Financement, Habilitation, Jalon
from pilotage.core.models import Revision
from pilotage.reunions import services
from pilotage.reunions.models import Decision, NoteSeance, Reunion
from pilotage.territoires.models import Departement
from tests.factories import (
    ContratFactory,
    InstitutionFactory,
    UserFactory,
    grant,
    make_comite_suivi,
    make_fiche,
)
from tests.htmx import (
    assert_htmx_swap_matches_full_render,
    fill,
    parse_page,
    update_page_with_htmx,
)
from tests.reunions.helpers import url

HTMX = {"HTTP_HX_REQUEST": "true"}

#: Page de séance d'une fiche (session, droits, réunions du contrat avec leur rang, listes
#: de la fiche lue avec son point, notes, décisions de la réunion et ouvertes des
#: précédentes, fiches du contrat pour les transferts, relevés partagés des indicateurs
#: qualitatifs) : nombre observé (19 quand la page relisait la réunion, ses rangs et la
#: fiche). Il ne dépend ni du nombre de fiches ni de notes.
MAX_QUERIES_SEANCE = 17


@pytest.fixture
def pilote(contrat):
    user = UserFactory(first_name="Claire", last_name="Pilote")
    grant(user, contrat)
    return user


@pytest.fixture
def referent(contrat):
    user = UserFactory(
        first_name="Paul",
        last_name="Referent",
        institution=InstitutionFactory(nom="ARS Nouvelle-Aquitaine"),
    )
    grant(user, contrat, Habilitation.Role.REFERENT)
    return user


@pytest.fixture
def lecteur(contrat):
    user = UserFactory()
    grant(user, contrat, Habilitation.Role.LECTEUR)
    return user


@pytest.fixture
def fiches(contrat, pilote):
    return [make_fiche(contrat, numero, user=pilote) for numero in (1, 2, 3)]


@pytest.fixture
def reunion(contrat, pilote, fiches):
    return make_comite_suivi(contrat, pilote)


def decision_url(name, decision):
    return reverse(f"reunions:{name}", args=[decision.point.reunion.contrat_id, decision.pk])


def decision_post(point, **fields) -> dict:
    """Données du formulaire d'ajout de décision (préfixe de la fiche)."""
    prefix = f"n{point.pk}"
    data = {"categorie": "autre", "texte": "Décision de test", "porteur": "DDETS"} | fields
    return {f"{prefix}-{key}": value for key, value in data.items()}


def typed(page, encart, texte):
    """La page avec `texte` tapé dans sa note de l'encart (les trois zones s'appellent
    « texte » : `fill` ne saurait laquelle choisir)."""
    tree = parse_page(page)
    [textarea] = tree.xpath("//textarea[@id=$id]", id=f"note-{encart}")
    textarea.text = texte
    return tree


def announcement(element_id):
    """L'annonce de succès (role="status") d'une rubrique ou d'une décision."""
    return f"//*[@id='{element_id}']//*[@role='status']"


# --- Page de séance -----------------------------------------------------------------


def test_seance_shows_first_fiche_with_position_and_navigation(client, pilote, reunion):
    client.force_login(pilote)
    response = client.get(url("seance", reunion))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fiche 1 sur 3" in html
    assert "Fiche action n°1" in html
    assert reunion.titre in html
    assert "Fiche suivante (n°2)" in html
    assert 'aria-keyshortcuts="ArrowRight s"' in html
    assert "Éléments positifs observables" in html
    assert "Axes d&#x27;amélioration identifiés" in html or "Axes d'amélioration" in html
    assert "Prise de décision en séance" in html
    # Projection : pas d'en-tête ni de pied de site.
    assert "fr-footer" not in html
    assert "fr-header__body" not in html


def test_seance_fiche_htmx_returns_only_the_fiche_fragment(client, pilote, reunion):
    client.force_login(pilote)
    before = client.get(url("seance_fiche", reunion, 1))
    response = client.get(url("seance_fiche", reunion, 2), HTTP_HX_TARGET="seance", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fiche 2 sur 3" in html
    assert "Fiche précédente (n°1)" in html
    assert "<html" not in html
    assert_htmx_swap_matches_full_render(
        before,
        "//a[contains(., 'Fiche suivante')]",
        response,
        client.get(url("seance_fiche", reunion, 2)),
        # Le <title> voyage dans le fragment (htmx le reporte sur l'onglet) : comparé à part.
        transient=["//title"],
    )


@pytest.mark.parametrize(
    ("numero", "live", "inactive"),
    [(1, "Fiche suivante", "Fiche précédente"), (3, "Fiche précédente", "Dernière fiche")],
)
def test_navigation_beyond_the_agenda_is_a_disabled_button(
    client, pilote, reunion, numero, live, inactive
):
    """Au bout de l'ordre du jour, le sens sans fiche est un bouton désactivé (grisé par le
    DSFR, hors de l'ordre de tabulation), jamais un lien qui aurait l'air actif."""
    client.force_login(pilote)
    tree = parse_page(client.get(url("seance_fiche", reunion, numero)))
    [nav] = tree.xpath("//nav[@id='seance-navigation']")
    [link] = nav.xpath(".//a[contains(@class, 'fr-btn')]")
    assert link.text_content().startswith(live)
    [button] = nav.xpath(".//button")
    assert button.text_content().startswith(inactive)
    assert button.get("disabled") is not None
    assert "fr-btn" in button.get("class")
    assert not nav.xpath(".//a[@aria-disabled or not(@href)]")


def test_next_fiche_fragment_carries_the_tab_title_of_that_fiche(client, pilote, reunion):
    client.force_login(pilote)
    response = client.get(
        url("seance_fiche", reunion, 2), headers={"HX-Request": "true", "HX-Target": "seance"}
    )
    [title] = lxml.html.fromstring(response.content.decode()).xpath("//title")
    assert title.text_content().endswith("fiche n°2 — Pilotage partagé")
    assert "fiche n°2" in client.get(url("seance_fiche", reunion, 2)).content.decode()


def test_seance_fiche_not_on_agenda_is_404(client, pilote, reunion, contrat):
    make_fiche(contrat, 9, user=pilote)  # créée après la réunion : hors ordre du jour
    client.force_login(pilote)
    assert client.get(url("seance_fiche", reunion, 9)).status_code == 404


def test_seance_summary_shows_late_milestones_indicators_and_vigilance(
    client, pilote, reunion, fiches
):
    Jalon.objects.create(
        fiche=fiches[0],
        libelle="Recrutement du coordinateur",
        date_prevue=datetime.date(2025, 1, 5),
    )
    client.force_login(pilote)
    html = client.get(url("seance", reunion)).content.decode()
    assert "Recrutement du coordinateur" in html
    assert "05/01/2025" in html
    assert "En retard" in html
    assert "Nombre d&#x27;EPP réalisés" in html or "Nombre d'EPP réalisés" in html
    assert "Natalité en baisse" in html


def test_seance_badge_ignores_done_and_retired_milestones(client, pilote, reunion, fiches):
    """« En retard » tiré des étapes lues avec la fiche : même règle que with_retard."""
    Jalon.objects.create(
        fiche=fiches[0],
        libelle="Étape faite",
        date_prevue=datetime.date(2025, 1, 5),
        date_realisation=datetime.date(2025, 1, 20),
    )
    Jalon.objects.create(
        fiche=fiches[0],
        libelle="Étape retirée",
        date_prevue=datetime.date(2025, 1, 5),
        retire_le=datetime.date(2025, 2, 1),
    )
    client.force_login(pilote)
    assert "En retard" not in client.get(url("seance", reunion)).content.decode()


def test_reader_sees_seance_without_writing_forms(client, lecteur, reunion):
    client.force_login(lecteur)
    response = client.get(url("seance", reunion))
    assert response.status_code == 200
    html = response.content.decode()
    assert "textarea" not in html
    assert "Consigner la décision" not in html
    assert "en lecture" in html


@pytest.mark.parametrize(
    "name,args",
    [
        ("seance", ()),
        ("seance_fiche", (1,)),
        ("note", (1, "positifs")),
    ],
)
def test_other_departement_gets_404_on_seance_pages(client, reunion, name, args, db):
    other = ContratFactory(departement=Departement.objects.get(code="19"))
    stranger = UserFactory()
    grant(stranger, other)
    client.force_login(stranger)
    assert client.get(url(name, reunion, *args)).status_code == 404
    assert client.post(url("note", reunion, 1, "positifs"), {"texte": "x"}).status_code == 404


def test_other_departement_gets_404_on_decisions(client, reunion, pilote):
    point = reunion.points.get(fiche__numero=1)
    decision = services.decision_create(
        point=point, auteur=pilote, fields={"categorie": "autre", "texte": "Relancer la CAF"}
    )
    other = ContratFactory(departement=Departement.objects.get(code="19"))
    stranger = UserFactory()
    grant(stranger, other)
    client.force_login(stranger)
    for name in ("decision", "decision_apply", "decision_close"):
        assert client.post(decision_url(name, decision)).status_code == 404
    assert client.post(url("decision_create", reunion, 1), decision_post(point)).status_code == 404


# --- Notes --------------------------------------------------------------------------------


def test_two_note_takers_in_the_same_encart_never_overwrite_each_other(
    client, pilote, referent, reunion
):
    from django.test import Client

    other = Client()
    client.force_login(pilote)
    other.force_login(referent)
    note_url = url("note", reunion, 1, "positifs")
    for step in range(1, 4):  # enregistrements alternés, comme au fil de la frappe
        assert client.post(note_url, {"texte": f"Pilote : étape {step}"}, **HTMX).status_code == 200
        assert (
            other.post(note_url, {"texte": f"Référent : étape {step}"}, **HTMX).status_code == 200
        )

    notes = NoteSeance.objects.filter(point__reunion=reunion, encart="positifs")
    assert {n.auteur_id: n.texte for n in notes} == {
        pilote.pk: "Pilote : étape 3",
        referent.pk: "Référent : étape 3",
    }
    page = client.get(url("seance", reunion)).content.decode()
    assert "Pilote : étape 3</textarea>" in page  # sa propre note dans sa zone de saisie
    assert "Référent : étape 3" in page  # celle de l'autre à côté, avec son institution
    assert "ARS Nouvelle-Aquitaine" in page
    other_page = other.get(url("seance", reunion)).content.decode()
    assert "Référent : étape 3</textarea>" in other_page
    assert "Pilote : étape 3" in other_page
    # Le fragment rafraîchi ne contient que les notes des autres, jamais la zone de saisie.
    fragment = other.get(note_url, **HTMX).content.decode()
    assert "Pilote : étape 3" in fragment
    assert "textarea" not in fragment
    assert "Référent : étape 3" not in fragment
    # Le pilote écrit encore : le rafraîchissement chez l'autre donne sa page entière.
    before = other.get(url("seance", reunion))
    assert client.post(note_url, {"texte": "Pilote : étape 4"}, **HTMX).status_code == 200
    assert_htmx_swap_matches_full_render(
        before,
        "#notes-autres-positifs",
        other.get(note_url, **HTMX),
        other.get(url("seance", reunion)),
    )


def test_note_save_answers_with_the_saved_time(client, pilote, reunion):
    client.force_login(pilote)
    before = client.get(url("seance_fiche", reunion, 2))
    response = client.post(
        url("note", reunion, 2, "ameliorations"), {"texte": "Mieux associer la PMI"}, **HTMX
    )
    assert response.status_code == 200
    assert "Enregistré à" in response.content.decode()
    note = NoteSeance.objects.get(point__fiche__numero=2, encart="ameliorations")
    assert note.texte == "Mieux associer la PMI"
    before = typed(before, "ameliorations", "Mieux associer la PMI")
    after = client.get(url("seance_fiche", reunion, 2))
    # L'état « Enregistré à … » du fragment porte en plus la marque data-note-enregistree,
    # absente de la page entière : comparé à part, sur le texte affiché.
    saved = "//*[@id='note-statut-ameliorations']/span"
    assert_htmx_swap_matches_full_render(
        before, "#note-ameliorations", response, after, transient=[saved]
    )
    [sent] = update_page_with_htmx(before, "#note-ameliorations", response).xpath(saved)
    [shown] = parse_page(after).xpath(saved)
    assert sent.text_content() == shown.text_content()


def test_note_with_personal_data_is_saved_with_a_warning(client, pilote, reunion):
    client.force_login(pilote)
    before = client.get(url("seance", reunion))
    response = client.post(
        url("note", reunion, 1, "positifs"), {"texte": "Mme Dupont a témoigné."}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "données personnelles" in html
    assert "<mark" in html
    assert NoteSeance.objects.get().texte == "Mme Dupont a témoigné."
    assert_htmx_swap_matches_full_render(
        typed(before, "positifs", "Mme Dupont a témoigné."),
        "#note-positifs",
        response,
        client.get(url("seance", reunion)),
        # L'avertissement ne suit que l'enregistrement, la page rechargée ne le répète pas ;
        # l'état « Enregistré à … » y porte en plus data-note-enregistree (test précédent).
        transient=["//*[@id='note-statut-positifs']/*"],
    )


def test_note_save_refused_to_a_reader(client, lecteur, reunion):
    client.force_login(lecteur)
    response = client.post(url("note", reunion, 1, "positifs"), {"texte": "Lu"}, **HTMX)
    assert response.status_code == 403
    assert client.post(url("note", reunion, 1, "positifs"), {"texte": "Lu"}).status_code == 403
    assert not NoteSeance.objects.exists()


def test_note_save_refused_on_a_frozen_reunion(client, pilote, reunion):
    Reunion.objects.filter(pk=reunion.pk).update(statut=Reunion.Statut.FIGEE)
    client.force_login(pilote)
    response = client.post(url("note", reunion, 1, "positifs"), {"texte": "Trop tard"}, **HTMX)
    assert response.status_code == 400
    assert "validé" in response.content.decode()
    assert not NoteSeance.objects.exists()
    page = client.get(url("seance", reunion)).content.decode()
    assert "textarea" not in page
    assert "la séance reste consultable" in page


def test_seance_is_read_only_while_the_report_is_being_validated(client, pilote, reunion):
    Reunion.objects.filter(pk=reunion.pk).update(statut=Reunion.Statut.EN_VALIDATION)
    client.force_login(pilote)
    response = client.post(url("note", reunion, 1, "positifs"), {"texte": "Retouche"}, **HTMX)
    assert response.status_code == 400
    assert not NoteSeance.objects.exists()
    page = client.get(url("seance", reunion)).content.decode()
    assert "textarea" not in page
    assert "en cours de validation" in page


def test_note_unknown_encart_is_404(client, pilote, reunion):
    client.force_login(pilote)
    assert client.post(url("note", reunion, 1, "autre"), {"texte": "x"}).status_code == 404


def test_note_without_javascript_redirects_back_to_the_fiche(client, pilote, reunion):
    client.force_login(pilote)
    response = client.post(url("note", reunion, 2, "positifs"), {"texte": "Bonne dynamique"})
    assert response.status_code == 302
    assert response["Location"] == url("seance_fiche", reunion, 2)


# --- Décisions typées --------------------------------------------------------------------


def _expected(fiches):
    fiche = fiches[0]
    acteur = fiche.acteurs.first()
    indicateur = fiche.indicateurs.first()
    jalon = fiche.jalons.first()
    vigilance = fiche.points_vigilance.first()
    return [
        (
            "acteurs",
            {"action": "ajouter_acteur", "acteur_nom": "CAF", "implication": "Cofinance"},
            {"action": "ajouter_acteur", "nom": "CAF", "implication": "Cofinance"},
        ),
        (
            "acteurs",
            {"action": "modifier_implication", "acteur": acteur.pk, "implication": "Pilote"},
            {"action": "modifier_implication", "acteur": acteur.pk, "implication": "Pilote"},
        ),
        (
            "moyens",
            {
                "action": "ajouter_financement",
                "montant": "-5000",
                "financeur": "cd",
                "annee": "2026",
            },
            {"action": "ajouter_financement", "financeur": "cd", "montant": "-5000", "annee": 2026},
        ),
        (
            "moyens",
            {
                "action": "transferer",
                "montant": "7500.50",
                "financeur": "etat",
                "annee": "2026",
                "vers_fiche": "2",
            },
            {
                "action": "transferer",
                "financeur": "etat",
                "montant": "7500.5",
                "annee": 2026,
                "vers_fiche": 2,
            },
        ),
        (
            "indicateurs",
            {"action": "modifier_indicateur", "indicateur": indicateur.pk, "cible": "120"},
            {"action": "modifier_indicateur", "indicateur": indicateur.pk, "cible": "120"},
        ),
        (
            "calendrier",
            {"action": "deplacer_jalon", "jalon": jalon.pk, "date_prevue": "2026-09-30"},
            {"action": "deplacer_jalon", "jalon": jalon.pk, "date_prevue": "2026-09-30"},
        ),
        (
            "vigilance",
            {"action": "ajouter_vigilance", "vigilance_libelle": "Turn-over des équipes"},
            {"action": "ajouter_vigilance", "libelle": "Turn-over des équipes"},
        ),
        (
            "vigilance",
            {"action": "lever_vigilance", "vigilance_point": vigilance.pk},
            {"action": "lever_vigilance", "point": vigilance.pk},
        ),
        (
            "etat",
            {"action": "abandonner", "motif": "Pas de porteur", "fiche_beneficiaire": "3"},
            {"action": "abandonner", "motif": "Pas de porteur", "fiche_beneficiaire": 3},
        ),
        ("etat", {"action": "relancer"}, {"action": "relancer"}),
        ("autre", {}, {}),
    ]


def test_each_decision_type_produces_the_right_changement(client, pilote, reunion, fiches):
    client.force_login(pilote)
    point = reunion.points.get(fiche=fiches[0])
    for categorie, fields, expected in _expected(fiches):
        Decision.objects.all().delete()
        data = decision_post(
            point,
            categorie=categorie,
            texte=f"Décision {categorie}",
            echeance="2026-06-30",
            **fields,
        )
        before = client.get(url("seance", reunion))  # la rubrique entière est remplacée
        response = client.post(url("decision_create", reunion, 1), data, **HTMX)
        assert response.status_code == 200, (categorie, response.content.decode()[:3000])
        decision = Decision.objects.get()
        assert decision.categorie == categorie
        assert decision.changement == expected, categorie
        assert decision.porteur == "DDETS"
        assert decision.echeance == datetime.date(2026, 6, 30)
        assert decision.auteur == pilote
        assert_htmx_swap_matches_full_render(
            before,
            "//form[contains(@class, 'decision-form')]",
            response,
            client.get(url("seance", reunion)),
            # « Décision consignée. » : annoncée une fois, après l'envoi.
            transient=[announcement(f"decisions-{point.pk}")],
        )


def test_recorded_decision_is_announced_once_to_screen_readers(client, pilote, reunion):
    """Une seule zone role=status : l'annonce de la rubrique, pas aussi dans la décision."""
    client.force_login(pilote)
    point = reunion.points.get(fiche__numero=1)
    response = client.post(url("decision_create", reunion, 1), decision_post(point), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="status"') == 1
    assert html.count("Décision consignée.") == 1


def test_referent_can_record_a_decision_on_their_fiche(client, referent, reunion):
    client.force_login(referent)
    point = reunion.points.get(fiche__numero=1)
    point.fiche.referents.add(referent)
    response = client.post(url("decision_create", reunion, 1), decision_post(point))
    assert response.status_code == 302
    assert Decision.objects.get().auteur == referent


def test_reader_cannot_record_a_decision(client, lecteur, reunion):
    client.force_login(lecteur)
    point = reunion.points.get(fiche__numero=1)
    response = client.post(url("decision_create", reunion, 1), decision_post(point), **HTMX)
    assert response.status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"texte": ""}, "obligatoire"),
        ({"categorie": "moyens", "action": "transferer", "montant": "100"}, "fiche qui reçoit"),
        (
            {"categorie": "moyens", "action": "transferer", "montant": "-100", "vers_fiche": "2"},
            "positif",
        ),
        ({"categorie": "calendrier", "action": "deplacer_jalon"}, "étape du calendrier"),
        ({"categorie": "acteurs", "action": "relancer"}, "ne correspond pas"),
        ({"categorie": "moyens", "action": "ajouter_financement", "montant": "abc"}, "nombre"),
    ],
)
def test_invalid_decision_form_is_400_and_records_nothing(client, pilote, reunion, fields, message):
    client.force_login(pilote)
    point = reunion.points.get(fiche__numero=1)
    response = client.post(
        url("decision_create", reunion, 1), decision_post(point, **fields), **HTMX
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Decision.objects.exists()
    # Même formulaire à corriger que la page entière rendue sans JavaScript.
    page = client.post(url("decision_create", reunion, 1), decision_post(point, **fields))
    assert page.status_code == 400
    assert_htmx_swap_matches_full_render(
        client.get(url("seance", reunion)),
        "//form[contains(@class, 'decision-form')]",
        response,
        page,
    )


def test_changing_type_reloads_the_changement_fields(client, pilote, reunion):
    client.force_login(pilote)
    point = reunion.points.get(fiche__numero=1)
    prefix = f"n{point.pk}"
    before = fill(client.get(url("seance", reunion)), **{f"{prefix}-categorie": "moyens"})
    response = client.get(
        url("decision_create", reunion, 1),
        {"prefix": prefix, f"{prefix}-categorie": "moyens"},
        **HTMX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Transférer un montant vers une autre fiche" in html
    # Court : aucun champ tant que le changement n'est pas choisi.
    assert f'name="{prefix}-vers_fiche"' not in html
    assert f'name="{prefix}-jalon"' not in html
    # Les mêmes champs que la page entière après « Afficher les changements de ce type ».
    page = client.post(
        url("decision_create", reunion, 1), {f"{prefix}-categorie": "moyens", "choisir": "1"}
    )
    assert_htmx_swap_matches_full_render(
        before, f"//*[@hx-target='#changement-{prefix}']", response, page
    )


def test_choosing_a_change_shows_only_its_fields(client, pilote, reunion):
    client.force_login(pilote)
    point = reunion.points.get(fiche__numero=1)
    prefix = f"n{point.pk}"
    chosen = {f"{prefix}-categorie": "moyens", f"{prefix}-action": "transferer"}
    typed = {f"{prefix}-categorie": "moyens", "choisir": "1"}
    before = fill(client.post(url("decision_create", reunion, 1), typed), **chosen)
    assert f'name="{prefix}-vers_fiche"' not in before.text_content() and not before.xpath(
        f"//*[@name='{prefix}-vers_fiche']"
    )
    response = client.get(
        url("decision_create", reunion, 1), {"prefix": prefix, "partie": "champs", **chosen}, **HTMX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'name="{prefix}-vers_fiche"' in html and "Fiche de test n°2" in html
    assert f'name="{prefix}-montant"' in html
    # Les champs des autres changements du même type ne sont pas proposés.
    assert f'name="{prefix}-acteur"' not in html and f'name="{prefix}-jalon"' not in html
    page = client.post(url("decision_create", reunion, 1), {**chosen, "choisir": "1"})
    # Sans JavaScript, le financeur n'a pas de choix marqué : le navigateur montre le
    # premier, « État », que le fragment marque (valeur initiale) ; même affichage.
    page = fill(page, **{f"{prefix}-financeur": "etat"})
    assert_htmx_swap_matches_full_render(
        before, f"//*[@hx-target='#champs-{prefix}']", response, page
    )


def test_choose_button_without_javascript_shows_type_fields_and_saves_nothing(
    client, pilote, reunion
):
    client.force_login(pilote)
    point = reunion.points.get(fiche__numero=1)
    data = decision_post(point, categorie="calendrier") | {"choisir": "1"}
    response = client.post(url("decision_create", reunion, 1), data)
    assert response.status_code == 200
    assert "Déplacer une étape du calendrier" in response.content.decode()
    data[f"n{point.pk}-action"] = "deplacer_jalon"
    response = client.post(url("decision_create", reunion, 1), data)
    assert response.status_code == 200
    assert f'name="n{point.pk}-jalon"' in response.content.decode()
    assert not Decision.objects.exists()


def test_decision_with_personal_data_needs_confirmation(client, pilote, reunion):
    client.force_login(pilote)
    point = reunion.points.get(fiche__numero=1)
    data = decision_post(point, texte="Rencontrer Mme Dupont et son fils")
    before = client.get(url("seance", reunion))
    response = client.post(url("decision_create", reunion, 1), data, **HTMX)
    assert response.status_code == 400
    assert "<mark" in response.content.decode()
    assert not Decision.objects.exists()
    page = client.post(url("decision_create", reunion, 1), data)  # sans JavaScript
    assert page.status_code == 400
    form = "//form[contains(@class, 'decision-form')]"
    assert_htmx_swap_matches_full_render(before, form, response, page)
    before = update_page_with_htmx(before, form, response)
    data[f"n{point.pk}-confirm_personal_data"] = "on"
    response = client.post(url("decision_create", reunion, 1), data, **HTMX)
    assert response.status_code == 200
    assert Decision.objects.count() == 1
    assert_htmx_swap_matches_full_render(
        before,
        form,
        response,
        client.get(url("seance", reunion)),
        # « Décision consignée. » : annoncée une fois, après l'envoi.
        transient=[announcement(f"decisions-{point.pk}")],
    )


def test_decision_update_with_stale_version_shows_current_version_and_overwrites_nothing(
    client, pilote, referent, reunion
):
    point = reunion.points.get(fiche__numero=1)
    point.fiche.referents.add(referent)
    decision = services.decision_create(
        point=point, auteur=referent, fields={"categorie": "autre", "texte": "Version initiale"}
    )
    services.decision_update(
        decision=decision,
        user=referent,
        expected_version=1,
        fields={"texte": "Version du référent"},
    )
    client.force_login(pilote)
    prefix = f"d{decision.pk}"
    address = decision_url("decision", decision)
    edit_form = f"//form[@hx-post='{address}']"
    # Le pilote a ouvert la modification (« Modifier ») avant l'enregistrement du référent.
    page = update_page_with_htmx(
        client.get(url("seance", reunion)),
        f"//a[@hx-get='{address}']",
        client.get(address, **HTMX),
    )
    data = {
        f"{prefix}-categorie": "autre",
        f"{prefix}-texte": "Version du pilote",
        f"{prefix}-version": "1",
    }
    response = client.post(decision_url("decision", decision), data, **HTMX)
    assert response.status_code == 409
    html = response.content.decode()
    assert "modifiée par une autre personne" in html
    assert "Version du référent" in html
    assert "Version du pilote" in html  # la saisie est conservée
    decision.refresh_from_db()
    assert decision.texte == "Version du référent"
    # Le même conflit que la page de modification rendue sans JavaScript.
    full = client.post(address, data)
    assert full.status_code == 409
    assert_htmx_swap_matches_full_render(
        full, f"#decision-{decision.pk}", response, full, swap="outerHTML"
    )
    page = update_page_with_htmx(page, edit_form, response)
    # Nouvel envoi en connaissance de cause : il part de la version actuelle.
    data[f"{prefix}-version"] = str(decision.version)
    response = client.post(decision_url("decision", decision), data, **HTMX)
    assert response.status_code == 200
    decision.refresh_from_db()
    assert decision.texte == "Version du pilote"
    assert_htmx_swap_matches_full_render(
        page,
        edit_form,
        response,
        client.get(url("seance", reunion)),
        # « Décision modifiée. » : annoncée une fois, après l'envoi.
        transient=[announcement(f"decision-{decision.pk}")],
    )


def test_decision_edit_form_and_delete(client, pilote, reunion):
    point = reunion.points.get(fiche__numero=1)
    decision = services.decision_create(
        point=point,
        auteur=pilote,
        fields={
            "categorie": "vigilance",
            "texte": "Surveiller la natalité",
            "changement": {"action": "ajouter_vigilance", "libelle": "Natalité"},
        },
    )
    client.force_login(pilote)
    address = decision_url("decision", decision)
    before = client.get(url("seance", reunion))
    response = client.get(decision_url("decision", decision), **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Surveiller la natalité" in html
    assert 'value="Natalité"' in html
    # Le formulaire est celui de la page de modification rendue sans JavaScript.
    full = client.get(address)
    assert_htmx_swap_matches_full_render(
        full, f"#decision-{decision.pk}", response, full, swap="outerHTML"
    )
    page = update_page_with_htmx(before, f"//a[@hx-get='{address}']", response)
    response = client.post(
        decision_url("decision", decision), {"supprimer": "1", "next": "/"}, **HTMX
    )
    assert response.status_code == 200
    assert not Decision.objects.exists()
    after = client.get(url("seance", reunion))
    assert "Aucune décision consignée pour cette fiche." in after.content.decode()
    # La dernière décision supprimée : la liste mise à jour dit, comme la page entière,
    # « Aucune décision consignée pour cette fiche. ».
    assert_htmx_swap_matches_full_render(
        page,
        f"//form[@hx-post='{address}']",
        response,
        after,
        # « Décision supprimée. » : annoncée à la place de la décision, une fois.
        transient=["//li[contains(@class, 'decision--supprimee')]"],
    )


# --- Application et clôture ---------------------------------------------------------------


def test_apply_by_view_links_revision_and_history_shows_the_reunion(
    client, pilote, reunion, fiches
):
    point = reunion.points.get(fiche=fiches[0])
    decision = services.decision_create(
        point=point,
        auteur=pilote,
        fields={
            "categorie": "acteurs",
            "texte": "Associer la CAF",
            "changement": {"action": "ajouter_acteur", "nom": "CAF", "implication": "Cofinance"},
        },
    )
    client.force_login(pilote)
    before = client.get(url("seance", reunion))
    response = client.post(decision_url("decision_apply", decision), **HTMX)
    assert response.status_code == 200
    assert_htmx_swap_matches_full_render(
        before,
        f"//form[@hx-post='{decision_url('decision_apply', decision)}']",
        response,
        client.get(url("seance", reunion)),
        # « Décision appliquée à la fiche. » : annoncée une fois, après l'envoi.
        transient=[announcement(f"decision-{decision.pk}")],
    )
    html = response.content.decode()
    assert "Appliquée le" in html
    assert "voir dans l&#x27;historique" in html or "voir dans l'historique" in html
    decision.refresh_from_db()
    assert decision.est_appliquee
    assert decision.revision.source == Revision.Source.DECISION
    assert decision.revision.object_id == fiches[0].pk
    assert fiches[0].acteurs.filter(nom="CAF").exists()

    history = client.get(reverse("contrats:fiche_historique", args=[reunion.contrat_id, 1]))
    text = history.content.decode()
    date = timezone.localtime(reunion.date).strftime("%d/%m/%Y")
    assert f"Décision de la réunion {reunion.titre} (Comité de suivi du {date})" in text
    assert reverse("reunions:detail", args=[reunion.contrat_id, reunion.pk]) in text
    assert f'id="revision-{decision.revision_id}"' in text


def test_apply_transfer_changes_both_fiches(client, pilote, reunion, fiches):
    point = reunion.points.get(fiche=fiches[0])
    client.force_login(pilote)
    data = decision_post(
        point,
        categorie="moyens",
        texte="Redéployer 5 000 € vers la fiche 2",
        action="transferer",
        montant="5000",
        financeur="etat",
        annee="2026",
        vers_fiche="2",
    )
    before = client.get(url("seance", reunion))
    response = client.post(url("decision_create", reunion, 1), data, **HTMX)
    assert response.status_code == 200
    assert_htmx_swap_matches_full_render(
        before,
        "//form[contains(@class, 'decision-form')]",
        response,
        client.get(url("seance", reunion)),
        # « Décision consignée. » : annoncée une fois, après l'envoi.
        transient=[announcement(f"decisions-{point.pk}")],
    )
    decision = Decision.objects.get()
    response = client.post(decision_url("decision_apply", decision))
    assert response.status_code == 302
    assert Financement.objects.get(fiche=fiches[0], montant=Decimal("-5000")).annee == 2026
    assert Financement.objects.get(fiche=fiches[1], montant=Decimal("5000")).financeur == "etat"
    assert Revision.objects.for_object(fiches[1]).filter(source="decision").exists()
    # L'historique de la fiche qui reçoit le montant renvoie aussi à la réunion.
    history = client.get(reverse("contrats:fiche_historique", args=[reunion.contrat_id, 2]))
    page = history.content.decode()
    assert reverse("reunions:detail", args=[reunion.contrat_id, reunion.pk]) in page
    assert "prise sur la fiche n°1" in page


def test_apply_error_is_explained_and_nothing_is_saved(client, pilote, reunion, fiches):
    point = reunion.points.get(fiche=fiches[0])
    jalon = fiches[0].jalons.first()
    decision = services.decision_create(
        point=point,
        auteur=pilote,
        fields={
            "categorie": "calendrier",
            "texte": "Reporter la signature",
            "changement": {
                "action": "deplacer_jalon",
                "jalon": jalon.pk,
                "date_prevue": "2026-10-01",
            },
        },
    )
    jalon.delete()  # supprimé entre-temps
    revisions = Revision.objects.count()
    client.force_login(pilote)
    before = client.get(url("seance", reunion))
    response = client.post(decision_url("decision_apply", decision), **HTMX)
    assert response.status_code == 400
    assert "introuvable" in response.content.decode()
    decision.refresh_from_db()
    assert not decision.est_appliquee
    assert Revision.objects.count() == revisions
    assert_htmx_swap_matches_full_render(
        before,
        f"//form[@hx-post='{decision_url('decision_apply', decision)}']",
        response,
        client.get(url("seance", reunion)),
        # L'explication du refus répond à l'essai, une fois : la page rechargée ne la porte pas.
        transient=[f"//*[@id='decision-{decision.pk}']//*[@role='alert']"],
    )


def test_only_pilots_apply_or_close(client, referent, reunion, pilote):
    point = reunion.points.get(fiche__numero=1)
    decision = services.decision_create(
        point=point,
        auteur=pilote,
        fields={"categorie": "etat", "texte": "Relancer", "changement": {"action": "relancer"}},
    )
    client.force_login(referent)
    assert client.post(decision_url("decision_apply", decision)).status_code == 403
    assert client.post(decision_url("decision_close", decision)).status_code == 403
    decision.refresh_from_db()
    assert decision.est_ouverte and not decision.est_appliquee


def test_open_decision_of_previous_reunion_is_shown_and_closed_from_next_seance(
    client, contrat, pilote, fiches
):
    before = make_comite_suivi(contrat, pilote, when=timezone.now() - datetime.timedelta(days=200))
    point = before.points.get(fiche=fiches[1])
    decision = services.decision_create(
        point=point,
        auteur=pilote,
        fields={"categorie": "autre", "texte": "Réunir les partenaires de la PMI"},
    )
    nxt = make_comite_suivi(contrat, pilote)
    client.force_login(pilote)
    page = client.get(url("seance_fiche", nxt, 2)).content.decode()
    assert "Décisions ouvertes des réunions précédentes" in page
    assert "Réunir les partenaires de la PMI" in page
    assert f"Réunion {before.titre}" in page
    page_before = client.get(url("seance_fiche", nxt, 2))
    response = client.post(
        decision_url("decision_close", decision),
        {f"c{decision.pk}-commentaire": "Fait en janvier", "courante": "0"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "Fait en janvier" in response.content.decode()
    decision.refresh_from_db()
    assert not decision.est_ouverte
    assert decision.close_par == pilote
    after = client.get(url("seance_fiche", nxt, 2))
    page = after.content.decode()
    assert "Réunir les partenaires de la PMI" not in page
    assert_htmx_swap_matches_full_render(
        page_before,
        f"//form[@hx-post='{decision_url('decision_close', decision)}']",
        response,
        after,
        # La décision close quitte la rubrique (seule reste l'annonce « Décision close. ») ;
        # la page rechargée n'a plus cette rubrique, vide : comparé sans elle.
        transient=["//section[@aria-labelledby='ouvertes-titre']"],
    )


def test_frozen_reunion_refuses_new_decisions_with_a_clear_message(client, pilote, reunion):
    Reunion.objects.filter(pk=reunion.pk).update(statut=Reunion.Statut.FIGEE)
    client.force_login(pilote)
    point = reunion.points.get(fiche__numero=1)
    response = client.post(url("decision_create", reunion, 1), decision_post(point), **HTMX)
    assert response.status_code == 400
    assert "validé" in response.content.decode()
    assert not Decision.objects.exists()
    # La rubrique renvoyée est celle de la page figée (sans formulaire), plus le refus.
    page = client.get(url("seance", reunion))
    assert_htmx_swap_matches_full_render(
        page,
        f"#decisions-{point.pk}",
        response,
        page,
        swap="outerHTML",
        # Le refus répond à l'envoi, une fois : la page rechargée ne le porte pas.
        transient=[f"//*[@id='decisions-{point.pk}']/*[@role='alert']"],
    )


# --- Requêtes bornées ------------------------------------------------------------------------


def _populate(contrat, pilote, nb_fiches):
    for numero in range(1, nb_fiches + 1):
        make_fiche(contrat, numero, user=pilote)
    before = make_comite_suivi(contrat, pilote, when=timezone.now() - datetime.timedelta(days=200))
    reunion = make_comite_suivi(contrat, pilote)
    other = UserFactory()
    grant(other, contrat, Habilitation.Role.REFERENT)
    for r in (before, reunion):
        for p in r.points.all():
            services.decision_create(
                point=p, auteur=pilote, fields={"categorie": "autre", "texte": "À suivre"}
            )
            for encart in ("positifs", "ameliorations"):
                services.note_save(point=p, encart=encart, auteur=other, texte="Vu")
                services.note_save(point=p, encart=encart, auteur=pilote, texte="Noté")
    return reunion


@pytest.mark.parametrize("nb_fiches", [3, 20])
def test_seance_page_query_count_does_not_grow_with_fiches(
    client, contrat, pilote, nb_fiches, django_assert_max_num_queries
):
    reunion = _populate(contrat, pilote, nb_fiches)
    client.force_login(pilote)
    page = url("seance_fiche", reunion, 2)
    client.get(page)
    with django_assert_max_num_queries(MAX_QUERIES_SEANCE):
        response = client.get(page)
    assert response.status_code == 200


def test_decision_edit_page_without_javascript(client, pilote, reunion):
    point = reunion.points.get(fiche__numero=1)
    decision = services.decision_create(
        point=point, auteur=pilote, fields={"categorie": "autre", "texte": "Relancer la CAF"}
    )
    client.force_login(pilote)
    response = client.get(decision_url("decision", decision))
    assert response.status_code == 200
    assert "Modifier une décision" in response.content.decode()
    prefix = f"d{decision.pk}"
    response = client.post(
        decision_url("decision", decision),
        {
            f"{prefix}-categorie": "autre",
            f"{prefix}-texte": "Relancer la CAF avant juin",
            f"{prefix}-version": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("seance_fiche", reunion, 1)
    decision.refresh_from_db()
    assert decision.texte == "Relancer la CAF avant juin"


@pytest.mark.parametrize("nb_reunions", [1, 4])
def test_history_with_applied_decisions_keeps_a_fixed_query_count(
    client, contrat, pilote, fiches, nb_reunions, django_assert_max_num_queries
):
    for index in range(nb_reunions):
        r = make_comite_suivi(
            contrat, pilote, when=timezone.now() - datetime.timedelta(days=300 - 30 * index)
        )
        decision = services.decision_create(
            point=r.points.get(fiche=fiches[0]),
            auteur=pilote,
            fields={
                "categorie": "vigilance",
                "texte": f"Vigilance {index}",
                "changement": {"action": "ajouter_vigilance", "libelle": f"Point {index}"},
            },
        )
        services.decision_apply(decision=decision, user=pilote)
    client.force_login(pilote)
    page = reverse("contrats:fiche_historique", args=[contrat.pk, 1])
    client.get(page)
    with django_assert_max_num_queries(11):
        response = client.get(page)
    assert response.content.decode().count("Décision de la réunion") == nb_reunions
