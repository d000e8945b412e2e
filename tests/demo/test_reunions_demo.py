"""Réunions de démonstration de la Creuse : deux passées, une planifiée, chronologie cohérente."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats.models import Contrat
from pilotage.core.models import Revision
from pilotage.demo.services import DEMO_PASSWORD, demo_load
from pilotage.reunions.models import Decision, NoteSeance, Reunion, ValidationCompteRendu
from pilotage.reunions.selectors import decisions_reportees, prochaine_reunion
from tests.pdf import pdf_text


@pytest.fixture
def creuse(demo_data):
    return Contrat.objects.get(departement__code="23", generation__code="2025-2027")


def _reunions(contrat):
    return list(contrat.reunions.order_by("date"))


def _local_day(moment):
    return timezone.localtime(moment).date()


def test_creuse_has_two_past_meetings_and_one_planned(creuse):
    premiere, seconde, prevue = _reunions(creuse)
    assert (premiere.type, _local_day(premiere.date)) == (
        "comite_suivi",
        datetime.date(2026, 3, 12),
    )
    assert (seconde.type, _local_day(seconde.date)) == (
        "comite_technique",
        datetime.date(2026, 9, 24),
    )
    assert timezone.localtime(prevue.date).replace(tzinfo=None) == datetime.datetime(
        2027, 4, 8, 14, 0
    )
    assert [r.statut for r in (premiere, seconde, prevue)] == [
        Reunion.Statut.FIGEE,
        Reunion.Statut.EN_VALIDATION,
        Reunion.Statut.PLANIFIEE,
    ]
    assert [r.titre for r in (premiere, seconde, prevue)] == [
        "2026 – réunion 1",
        "2026 – réunion 2",
        "2027 – réunion 1",
    ]


def test_first_meeting_minutes_were_validated_by_the_three_institutions(creuse):
    premiere = _reunions(creuse)[0]
    assert premiere.validations.filter(avis=ValidationCompteRendu.Avis.VALIDE).count() == 3
    assert _local_day(premiere.fige_le) > _local_day(premiere.date)
    # L'exemplaire archivé porte les dates de validation de la démonstration.
    with premiere.compte_rendu_pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert f"Validé le {timezone.localtime(premiere.fige_le):%d/%m/%Y}" in text


def test_second_meeting_minutes_wait_for_two_institutions(creuse):
    seconde = _reunions(creuse)[1]
    assert list(seconde.validations.values_list("institution__nom", flat=True)) == [
        "Conseil départemental de la Creuse"
    ]


def test_two_note_takers_wrote_in_the_same_box_of_fiche_1(creuse):
    premiere = _reunions(creuse)[0]
    notes = NoteSeance.objects.filter(
        point__reunion=premiere, point__fiche__numero=1, encart="positifs"
    )
    assert notes.values("auteur").distinct().count() == 2


def test_applied_decisions_are_in_the_fiche_history_the_day_after_the_meeting(creuse):
    applied = Decision.objects.filter(point__reunion__contrat=creuse, revision__isnull=False)
    assert applied.count() == 6
    for decision in applied.select_related("revision", "point__reunion"):
        assert decision.revision.source == Revision.Source.DECISION
        assert _local_day(decision.revision.created_at) == _local_day(
            decision.point.reunion.date
        ) + datetime.timedelta(days=1)


def test_transfer_moves_4000_euros_from_fiche_3_to_fiche_9(creuse):
    def lines(numero):
        return list(
            creuse.fiches.get(numero=numero)
            .financements.filter(annee=2026)
            .values_list("financeur", "montant")
        )

    assert lines(3) == [("etat", Decimal("-4000"))]
    assert lines(9) == [("etat", Decimal("4000"))]


def test_open_decisions_come_back_on_the_planned_meeting_agenda(creuse):
    prevue = _reunions(creuse)[2]
    reportees = {d.point.fiche.numero for d in decisions_reportees(prevue)}
    assert reportees == {2, 3, 9, 13}
    carried_only = set(prevue.points.filter(reporte=True).values_list("fiche__numero", flat=True))
    assert carried_only == {2, 9}  # 3 et 13 sont déjà « à impact »
    assert prevue.points.filter(duree_minutes__isnull=True).count() == 0


def test_one_open_decision_still_waits_to_be_applied(creuse):
    waiting = [d for d in Decision.objects.filter(point__reunion__contrat=creuse) if d.applicable]
    assert [d.point.fiche.numero for d in waiting] == [9]


def test_contract_page_shows_the_planned_meeting_without_warning(creuse):
    proposition = prochaine_reunion(creuse)
    assert not proposition.alerte


def test_loading_the_demo_again_adds_no_meeting(creuse):
    before = (Reunion.objects.count(), Decision.objects.count(), Revision.objects.count())
    demo_load()
    assert (Reunion.objects.count(), Decision.objects.count(), Revision.objects.count()) == before


@pytest.mark.parametrize(
    ("name", "kwargs", "expected"),
    [
        ("reunions:list", {}, "Comité technique"),
        ("reunions:decisions", {}, "Étudier avec la CAF"),
        ("reunions:fiche_calendrier", {"numero": 3}, "2026 – réunion 2"),
    ],
)
def test_demo_meeting_pages_are_populated(creuse, client, name, kwargs, expected):
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    response = client.get(reverse(name, kwargs={"pk": creuse.pk, **kwargs}))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_planned_meeting_dossier_lists_open_decisions(creuse, client):
    prevue = _reunions(creuse)[2]
    client.login(username="pilote.ddets@demo.pilotage.test", password=DEMO_PASSWORD)
    response = client.get(
        reverse("reunions:dossier", kwargs={"pk": creuse.pk, "reunion_pk": prevue.pk})
    )
    assert response.status_code == 200
    assert "Transférer 4 000 €" in response.content.decode()


def test_fiche_history_starts_before_the_first_meeting(creuse):
    premiere = _reunions(creuse)[0]
    for fiche in creuse.fiches.all():
        creation = Revision.objects.for_object(fiche).order_by("pk").first()
        assert creation.created_at < premiere.date
