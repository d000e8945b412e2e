"""Vue calendaire d'une fiche (proposition 4) : colonnes, rangement de l'historique,
décisions, indicateurs, droits, PDF, requêtes."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import Contrat, Habilitation, Indicateur
from pilotage.core.models import Revision
from pilotage.reunions import services
from pilotage.reunions.calendrier import fiche_calendrier
from pilotage.reunions.models import Reunion
from pilotage.suivi.models import Releve, ValeurIndicateur
from pilotage.suivi.services import valeur_create
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, UserFactory, grant, make_comite_suivi, make_fiche
from tests.pdf import pdf_pages, pdf_streams, pdf_text


@pytest.fixture
def pilote(contrat):
    user = UserFactory()
    grant(user, contrat)
    return user


@pytest.fixture
def fiche(contrat, pilote):
    return make_fiche(contrat, 1, user=pilote)


@pytest.fixture
def fiche2(contrat, pilote):
    return make_fiche(contrat, 2, user=pilote)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def reunion(contrat, user, when: datetime.datetime, **fields) -> Reunion:
    return make_comite_suivi(contrat, user, when, **fields)


def point(reunion_, fiche_):
    return reunion_.points.get(fiche=fiche_)


def modify(fiche_, user, when: datetime.datetime | None = None, **lists):
    """Modification ordinaire de la fiche (saisie), datée de `when`."""
    fiche_.refresh_from_db()
    contrats_services.fiche_update(
        fiche=fiche_, user=user, expected_version=fiche_.version, **lists
    )
    revision = Revision.objects.for_object(fiche_).order_by("-pk").first()
    if when is not None:
        Revision.objects.filter(pk=revision.pk).update(created_at=when)
    return revision


def rows_of(fiche_, record) -> list[dict]:
    fiche_.refresh_from_db()
    return [
        {
            "id": obj.pk,
            **{f: getattr(obj, f) for f in contrats_services.FICHE_LISTS[record][1]},
        }
        for obj in getattr(fiche_, record).all()
    ]


def grid(fiche_, viewer):
    fiche_ = type(fiche_).objects.select_related("contrat__generation").get(pk=fiche_.pk)
    return fiche_calendrier(fiche_, viewer=viewer)


def cell(grille, row_key: str, column_titre: str):
    [row] = [r for r in grille.rows if r.key == row_key]
    index = [c.titre for c in grille.columns].index(column_titre)
    return row.cells[index]


def texts(cell_, status: str | None = None) -> list[str]:
    return [line.text for line in cell_.lines if status is None or line.status == status]


# --- Colonnes --------------------------------------------------------------------------


def test_columns_are_signature_then_each_meeting_in_order_with_upcoming_ones_greyed(
    contrat, pilote, fiche
):
    r2 = reunion(contrat, pilote, days_ago(60))
    r1 = reunion(contrat, pilote, days_ago(300))
    futur = reunion(contrat, pilote, days_ago(-90))
    grille = grid(fiche, pilote)
    assert [c.titre for c in grille.columns] == ["Signature", r1.titre, r2.titre, futur.titre]
    assert grille.columns[0].sous_titre == "Contrat signé le 01/03/2025"
    assert r1.get_type_display() in grille.columns[1].sous_titre
    assert [c.kind for c in grille.columns] == ["initial", "reunion", "reunion", "a_venir"]
    assert [r.label for r in grille.rows] == [
        "Acteurs à mobiliser",
        "Moyens financiers",
        "Indicateurs quantitatifs",
        "Indicateurs qualitatifs",
        "Points de vigilance",
        "État et calendrier",
    ]


def test_a_cancelled_meeting_has_no_column(contrat, pilote, fiche):
    tenue = reunion(contrat, pilote, days_ago(200))
    annulee = reunion(contrat, pilote, days_ago(100))
    services.reunion_cancel(reunion=annulee, user=pilote)
    grille = grid(fiche, pilote)
    assert [c.titre for c in grille.columns] == ["Signature", tenue.titre]


def test_without_signature_date_the_first_column_is_the_initial_state(pilote, fiche):
    Contrat.objects.filter(pk=fiche.contrat_id).update(date_signature=None)
    grille = grid(fiche, pilote)
    assert grille.columns[0].titre == "Signature"
    assert grille.columns[0].sous_titre == "État initial"


# --- Historique ------------------------------------------------------------------------


def test_initial_column_shows_the_signed_state_even_after_later_changes(contrat, pilote, fiche):
    reunion(contrat, pilote, days_ago(100))
    acteurs = rows_of(fiche, "acteurs") + [{"nom": "Maison des adolescents"}]
    modify(fiche, pilote, acteurs=acteurs)  # aujourd'hui, après la réunion
    grille = grid(fiche, pilote)
    assert texts(cell(grille, "acteurs", "Signature")) == ["CH", "ARS"]
    assert cell(grille, "acteurs", "Signature").changed is False
    today = cell(grille, "acteurs", "Aujourd'hui")
    assert texts(today, "added") == ["Maison des adolescents"]
    assert today.changed
    assert grille.columns[-1].sous_titre == "Depuis la dernière réunion"


def test_the_today_column_appears_only_when_something_happened_since_the_last_meeting(
    contrat, pilote, fiche
):
    reunion(contrat, pilote, days_ago(100))
    assert "Aujourd'hui" not in [c.titre for c in grid(fiche, pilote).columns]


def test_a_change_made_between_two_meetings_is_shown_at_the_next_meeting(contrat, pilote, fiche):
    r1 = reunion(contrat, pilote, days_ago(300))
    r2 = reunion(contrat, pilote, days_ago(60))
    points = rows_of(fiche, "points_vigilance") + [{"libelle": "Rotation des équipes"}]
    modify(fiche, pilote, days_ago(200), points_vigilance=points)
    grille = grid(fiche, pilote)
    assert cell(grille, "vigilance", r1.titre).changed is False
    assert cell(grille, "vigilance", r1.titre).show_state is False
    second = cell(grille, "vigilance", r2.titre)
    assert texts(second) == ["Natalité en baisse", "Rotation des équipes"]
    assert texts(second, "added") == ["Rotation des équipes"]
    assert second.modifications == [f"Modification du {timezone.localtime(days_ago(200)):%d/%m/%Y}"]
    assert texts(cell(grille, "vigilance", "Signature")) == ["Natalité en baisse"]


def test_a_modified_line_is_marked_modified_with_its_previous_text(contrat, pilote, fiche):
    r1 = reunion(contrat, pilote, days_ago(30))
    acteurs = rows_of(fiche, "acteurs")
    acteurs[0]["implication"] = "copilote"
    modify(fiche, pilote, days_ago(40), acteurs=acteurs)
    [line] = [x for x in cell(grid(fiche, pilote), "acteurs", r1.titre).lines if x.status != "same"]
    assert (line.status, line.text, line.old) == ("modified", "CH (copilote)", "CH")


def test_a_removed_line_is_listed_as_removed(contrat, pilote, fiche):
    r1 = reunion(contrat, pilote, days_ago(30))
    modify(fiche, pilote, days_ago(40), points_vigilance=[])
    vigilance = cell(grid(fiche, pilote), "vigilance", r1.titre)
    assert [(x.status, x.text) for x in vigilance.lines] == [("removed", "Natalité en baisse")]
    assert vigilance.removed == 1


def test_an_applied_transfer_appears_in_the_column_of_its_meeting_on_both_fiches(
    contrat, pilote, fiche, fiche2
):
    r1 = reunion(contrat, pilote, days_ago(300))
    r2 = reunion(contrat, pilote, days_ago(60))
    decision = services.decision_create(
        point=point(r1, fiche),
        auteur=pilote,
        fields={
            "categorie": "moyens",
            "texte": "Redéployer 5 000 € vers la fiche 2, sous-consommés en 2025.",
            "changement": {
                "action": "transferer",
                "vers_fiche": 2,
                "montant": "5000",
                "financeur": "etat",
                "annee": 2026,
            },
        },
    )
    services.decision_apply(decision=decision, user=pilote)  # appliquée aujourd'hui
    grille = grid(fiche, pilote)
    moyens = cell(grille, "moyens", r1.titre)
    [added] = texts(moyens, "added")
    assert added.startswith("État : -5\u202f000\u00a0€ en 2026")
    assert "transfert vers la fiche n°2" in added
    assert [d.decision.texte for d in moyens.decisions] == [decision.texte]
    [item] = moyens.decisions
    assert item.statuts == [f"appliquée le {timezone.localdate():%d/%m/%Y}", "ouverte"]
    assert cell(grille, "moyens", r2.titre).changed is False
    assert "Aujourd'hui" not in [c.titre for c in grille.columns]
    # Les autres lignes ne montrent pas cette décision.
    assert not cell(grille, "acteurs", r1.titre).decisions

    recu = cell(grid(fiche2, pilote), "moyens", r1.titre)
    [added] = texts(recu, "added")
    assert added.startswith("État : 5\u202f000\u00a0€ en 2026")
    [item] = recu.decisions
    assert item.origine == "Décision sur la fiche n°1"


def test_a_change_decided_at_a_meeting_cancelled_since_is_placed_by_its_date_as_a_decision(
    contrat, pilote, fiche
):
    r1 = reunion(contrat, pilote, days_ago(300))
    annulee = reunion(contrat, pilote, days_ago(200))
    r3 = reunion(contrat, pilote, days_ago(60))
    decision = services.decision_create(
        point=point(annulee, fiche),
        auteur=pilote,
        fields={
            "categorie": "acteurs",
            "texte": "Associer l'Éducation nationale",
            "changement": {"action": "ajouter_acteur", "nom": "Éducation nationale"},
        },
    )
    services.decision_apply(decision=decision, user=pilote)
    Revision.objects.filter(decision=decision).update(created_at=days_ago(150))
    Reunion.objects.filter(pk=annulee.pk).update(statut=Reunion.Statut.ANNULEE)
    grille = grid(fiche, pilote)
    assert [c.titre for c in grille.columns] == ["Signature", r1.titre, r3.titre]
    acteurs = cell(grille, "acteurs", r3.titre)
    assert [text for text in texts(acteurs, "added") if "Éducation nationale" in text]
    # Ni la décision d'une réunion annulée, ni « Modification du … » : le changement
    # vient d'une décision.
    assert acteurs.decisions == []
    assert acteurs.modifications == []
    assert not cell(grille, "acteurs", r1.titre).changed


@pytest.mark.parametrize(
    ("categorie", "changement", "row"),
    [
        ("acteurs", {"action": "ajouter_acteur", "nom": "Éducation nationale"}, "acteurs"),
        ("vigilance", {"action": "ajouter_vigilance", "libelle": "Locaux"}, "vigilance"),
        ("etat", {"action": "abandonner", "motif": "Plus de porteur"}, "etat"),
        ("autre", {}, "etat"),
    ],
)
def test_each_decision_type_goes_to_its_row(contrat, pilote, fiche, categorie, changement, row):
    r1 = reunion(contrat, pilote, days_ago(10))
    decision = services.decision_create(
        point=point(r1, fiche),
        auteur=pilote,
        fields={"categorie": categorie, "texte": "Décision de test", "changement": changement},
    )
    if changement:
        services.decision_apply(decision=decision, user=pilote)
    grille = grid(fiche, pilote)
    for other in grille.rows:
        found = [d.decision for d in other.cells[1].decisions]
        assert found == ([decision] if other.key == row else [])
    if changement:
        assert cell(grille, row, r1.titre).changed


def test_an_indicator_decision_goes_to_the_row_of_the_indicator_nature(contrat, pilote, fiche):
    r1 = reunion(contrat, pilote, days_ago(10))
    indicateur = fiche.indicateurs.get()
    decision = services.decision_create(
        point=point(r1, fiche),
        auteur=pilote,
        fields={
            "categorie": "indicateurs",
            "texte": "Cible relevée à 120",
            "changement": {
                "action": "modifier_indicateur",
                "indicateur": indicateur.pk,
                "cible": "120",
            },
        },
    )
    services.decision_apply(decision=decision, user=pilote)
    grille = grid(fiche, pilote)
    quanti = cell(grille, "quantitatifs", r1.titre)
    assert [d.decision for d in quanti.decisions] == [decision]
    assert [(x.status, x.text) for x in quanti.lines] == [
        ("modified", "Nombre d'EPP réalisés cible 120")
    ]
    assert not cell(grille, "qualitatifs", r1.titre).decisions


def test_a_closed_decision_without_change_shows_its_status(contrat, pilote, fiche):
    r1 = reunion(contrat, pilote, days_ago(10))
    decision = services.decision_create(
        point=point(r1, fiche),
        auteur=pilote,
        fields={"categorie": "calendrier", "texte": "Reporter le lancement"},
    )
    services.decision_close(decision=decision, user=pilote)
    [item] = cell(grid(fiche, pilote), "etat", r1.titre).decisions
    assert item.statuts == ["close"]


# --- Indicateurs -----------------------------------------------------------------------


def _value(indicateur, annee, valeur, when):
    v = valeur_create(indicateur=indicateur, user=None, annee=annee, valeur=Decimal(valeur))
    ValeurIndicateur.objects.filter(pk=v.pk).update(created_at=when)
    return v


def test_indicator_values_are_shown_from_the_moment_they_were_entered(contrat, pilote, fiche):
    r1 = reunion(contrat, pilote, days_ago(300))
    r2 = reunion(contrat, pilote, days_ago(60))
    indicateur = fiche.indicateurs.get()
    _value(indicateur, 2024, 40, days_ago(5))  # référence : connue à la signature
    _value(indicateur, 2025, 55, days_ago(200))  # saisie entre les deux réunions
    grille = grid(fiche, pilote)

    def detail(titre):
        [line] = cell(grille, "quantitatifs", titre).lines
        [d] = line.details
        return d.text, d.new

    assert detail("Signature") == ("Dernière valeur : 40 (2024)", False)
    assert detail(r1.titre) == ("Dernière valeur : 40 (2024)", False)
    assert detail(r2.titre) == ("Dernière valeur : 55 (2025)", True)
    assert cell(grille, "quantitatifs", r2.titre).show_state
    assert not cell(grille, "quantitatifs", r1.titre).show_state


def test_validated_and_shared_observations_are_placed_at_the_right_meeting_never_drafts(
    contrat, pilote, fiche
):
    r1 = reunion(contrat, pilote, days_ago(300))
    r2 = reunion(contrat, pilote, days_ago(60))
    qualitatif = Indicateur.objects.create(
        fiche=fiche, nature="qualitatif", libelle="Qualité du repérage"
    )

    def releve(statut, days, situation):
        return Releve.objects.create(
            fiche=fiche,
            indicateur=qualitatif,
            date_observation=timezone.localdate() - datetime.timedelta(days=days),
            situation=situation,
            questions="q",
            faits="f",
            statut=statut,
            auteur=pilote,
            institution=pilote.institution,
        )

    releve(Releve.Statut.PARTAGE, 320, "Consultation prénatale")
    releve(Releve.Statut.VALIDE, 100, "Réunion d'équipe")
    releve(Releve.Statut.BROUILLON, 90, "Brouillon en cours")
    releve(Releve.Statut.RELU, 80, "Relu seulement")
    grille = grid(fiche, pilote)
    situations = {
        c.titre: [i.releve.situation for i in cell(grille, "qualitatifs", c.titre).releves]
        for c in grille.columns
    }
    assert situations == {
        "Signature": [],
        r1.titre: ["Consultation prénatale"],
        r2.titre: ["Réunion d'équipe"],
    }
    # Un relevé validé non partagé reste invisible hors de l'institution de l'auteur.
    autre = UserFactory()
    grant(autre, contrat, Habilitation.Role.LECTEUR)
    grille = grid(fiche, autre)
    assert [i.releve.situation for i in cell(grille, "qualitatifs", r2.titre).releves] == []


# --- Page, droits, PDF, requêtes ---------------------------------------------------------


def url(fiche_, name="reunions:fiche_calendrier"):
    return reverse(name, args=[fiche_.contrat_id, fiche_.numero])


def test_the_page_shows_the_grid_with_the_decision_text_and_the_tab(client, contrat, pilote, fiche):
    r1 = reunion(contrat, pilote, days_ago(30))
    services.decision_create(
        point=point(r1, fiche),
        auteur=pilote,
        fields={"categorie": "moyens", "texte": "Financer deux postes de sage-femme"},
    )
    client.force_login(pilote)
    response = client.get(url(fiche))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Financer deux postes de sage-femme" in html
    assert '<th scope="col" class="cal-col cal-col--reunion" data-reunion>' in html
    assert '<th scope="row" class="cal-rubrique">Moyens financiers' in html
    assert 'aria-current="page">Calendrier</a>' in html
    assert url(fiche, "reunions:fiche_calendrier_pdf") in html
    assert "Constat du diagnostic" in html
    assert r1.titre in html


def test_a_reader_sees_the_calendar(client, contrat, fiche):
    lecteur = UserFactory()
    grant(lecteur, contrat, Habilitation.Role.LECTEUR)
    client.force_login(lecteur)
    assert client.get(url(fiche)).status_code == 200


@pytest.mark.parametrize("name", ["reunions:fiche_calendrier", "reunions:fiche_calendrier_pdf"])
def test_a_user_of_another_department_gets_404(client, fiche, name):
    autre_contrat = ContratFactory(departement=Departement.objects.get(code="19"))
    etranger = UserFactory()
    grant(etranger, autre_contrat)
    client.force_login(etranger)
    assert client.get(url(fiche, name)).status_code == 404


def test_an_unknown_fiche_gets_404(client, pilote, fiche):
    client.force_login(pilote)
    response = client.get(reverse("reunions:fiche_calendrier", args=[fiche.contrat_id, 99]))
    assert response.status_code == 404


def test_the_pdf_is_a_tagged_landscape_document_with_the_grid(client, contrat, pilote, fiche):
    r1 = reunion(contrat, pilote, days_ago(30))
    services.decision_create(
        point=point(r1, fiche),
        auteur=pilote,
        fields={"categorie": "vigilance", "texte": "Surveiller la vacance des postes"},
    )
    client.force_login(pilote)
    response = client.get(url(fiche, "reunions:fiche_calendrier_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    # Le nom du fichier commence par le numéro de la fiche (fichiers rangés dans l'ordre).
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="fiche-{fiche.numero:02d}_calendrier_'
    )
    data = response.content
    objects = b"\n".join([data, *pdf_streams(data)])
    assert b"/StructTreeRoot" in objects
    assert b"/Lang (fr)" in objects
    assert b"/TH" in objects
    # Paysage : largeur de page supérieure à la hauteur (A4 : 842 × 595 points).
    assert re.search(rb"/MediaBox \[0 0 841\.\d+ 595\.\d+\]", objects)
    flat = pdf_text(data)
    assert "Contractualisation en prévention et en protection de l'enfance 2025-2027" in flat
    assert "Surveiller la vacance des postes" in flat
    assert r1.titre in flat
    assert "Signature" in flat


def test_the_number_of_queries_does_not_grow_with_meetings_revisions_and_values(
    client, contrat, pilote, fiche, fiche2
):
    client.force_login(pilote)
    indicateur = fiche.indicateurs.get()

    def add_meeting(days):
        r = reunion(contrat, pilote, days_ago(days))
        d = services.decision_create(
            point=point(r, fiche),
            auteur=pilote,
            fields={
                "categorie": "acteurs",
                "texte": f"Associer le partenaire {days}",
                "changement": {"action": "ajouter_acteur", "nom": f"Partenaire {days}"},
            },
        )
        services.decision_apply(decision=d, user=pilote)
        modify(
            fiche,
            pilote,
            days_ago(days + 5),
            points_vigilance=rows_of(fiche, "points_vigilance") + [{"libelle": f"Point {days}"}],
        )
        _value(indicateur, 2025, days, days_ago(days + 3))

    add_meeting(400)
    client.get(url(fiche))  # caches (types de contenus, session) remplis
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(fiche)).status_code == 200
    for days in (300, 200, 100, 50):
        add_meeting(days)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url(fiche))
    assert response.context["grille"].nb_reunions == 5
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]


def test_a_long_pdf_repeats_the_column_headers_on_every_page(client, contrat, pilote, fiche):
    reunion(contrat, pilote, days_ago(30))
    acteurs = [{"nom": f"Partenaire de terrain n°{i}", "implication": "comité"} for i in range(70)]
    modify(fiche, pilote, days_ago(40), acteurs=acteurs)
    client.force_login(pilote)
    data = client.get(url(fiche, "reunions:fiche_calendrier_pdf")).content
    pages = pdf_pages(data)
    assert len(pages) >= 2
    for page in pages:
        assert "Suivi de la fiche" in page, page[:200]


def test_a_fiche_without_history_shows_its_current_state_as_initial_state(pilote, fiche):
    Revision.objects.for_object(fiche).delete()
    grille = grid(fiche, pilote)
    assert texts(cell(grille, "acteurs", "Signature")) == ["CH", "ARS"]
    assert [c.titre for c in grille.columns] == ["Signature"]
