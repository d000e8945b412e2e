"""Plan de collecte, « Mes tâches » et rappels quotidiens sans doublon."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD
from pilotage.suivi import services
from pilotage.suivi.models import PlanCollecte
from pilotage.suivi.tasks import taches_de

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def user(name):
    return get_user_model().objects.get(email=f"{name}@demo.pilotage.test")


def test_tasks_list_overdue_and_upcoming_collections(demo):
    taches = taches_de(user("referent"), TODAY)
    assert [p.indicateur.fiche.numero for p in taches.collectes_en_retard] == [1]
    taches = taches_de(user("contributeur"), TODAY)
    assert [p.indicateur.fiche.numero for p in taches.collectes_a_venir] == [
        6
    ]  # le 31/01 est hors horizon


def test_tasks_list_releves_waiting_for_review_and_validation(demo):
    assert len(taches_de(user("referent"), TODAY).a_relire) == 1  # le brouillon de démonstration
    assert taches_de(user("contributeur"), TODAY).a_relire == []  # c'est son propre brouillon
    assert len(taches_de(user("validateur"), TODAY).a_partager) == 1
    assert taches_de(user("pilote.ars"), TODAY).a_relire == []  # autre institution


def test_recording_a_value_pushes_the_due_date_by_one_period(demo):
    plan = PlanCollecte.objects.get(indicateur__libelle="Nombre d'ETP dédiés en CRIP")
    services.plan_collecte_advance(indicateur=plan.indicateur, today=TODAY)
    plan.refresh_from_db()
    assert plan.prochaine_echeance == datetime.date(2027, 12, 15)


def test_only_pilots_and_the_fiche_referent_plan_collections(demo):
    indicateur = demo.fiches.get(numero=6).indicateurs.first()
    with pytest.raises(PermissionDenied):
        services.plan_collecte_set(
            indicateur=indicateur,
            user=user("contributeur"),
            referent_collecte=user("contributeur"),
            methode="entretien",
            frequence="semestrielle",
            prochaine_echeance=TODAY,
        )
    plan = services.plan_collecte_set(
        indicateur=indicateur,
        user=user("pilote.cd"),
        referent_collecte=user("contributeur"),
        methode="entretien",
        frequence="semestrielle",
        prochaine_echeance=TODAY,
    )
    assert plan.get_methode_display() == "Entretien"


def test_reminders_are_sent_once_a_day(demo, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent = services.rappels_send(today=TODAY)
    assert sent == len(mail.outbox) > 0
    referent_mail = next(m for m in mail.outbox if m.to == ["referent@demo.pilotage.test"])
    assert "Collectes en retard" in referent_mail.body
    assert "Relevés à relire : 1" in referent_mail.body
    assert services.rappels_send(today=TODAY) == 0
    assert len(mail.outbox) == sent
    assert services.rappels_send(today=TODAY + datetime.timedelta(days=1)) > 0


def test_envoyer_rappels_prints_how_many_it_sent(demo, settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("envoyer_rappels")
    first = capsys.readouterr().out
    call_command("envoyer_rappels")
    assert "rappel(s) envoyé(s)" in first
    assert capsys.readouterr().out.strip() == "0 rappel(s) envoyé(s)."


def test_my_tasks_page_and_collection_plan_page(demo, client):
    client.login(username="referent@demo.pilotage.test", password=DEMO_PASSWORD)
    page = client.get("/taches/").content.decode()
    assert "Collectes" in page and "Relevés à relire" in page
    page = client.get(f"/contrats/{demo.pk}/fiches/1/collecte/").content.decode()
    assert "Observation de terrain" in page
    client.login(username="pilote.41@demo.pilotage.test", password=DEMO_PASSWORD)
    assert client.get(f"/contrats/{demo.pk}/fiches/1/collecte/").status_code == 404


def test_pilots_whose_institution_has_not_validated_the_minutes_have_a_task(demo):
    # Démo : le compte rendu du 24/09/2026 est en validation, déjà validé par le CD.
    [reunion] = taches_de(user("pilote.ddets"), TODAY).comptes_rendus
    assert str(reunion) == "Comité technique du 24/09/2026"
    assert len(taches_de(user("pilote.ars"), TODAY).comptes_rendus) == 1
    for name in ("pilote.cd", "lecteur", "referent", "pilote.41"):
        assert taches_de(user(name), TODAY).comptes_rendus == [], name
    from pilotage.reunions.services import compte_rendu_validate

    compte_rendu_validate(reunion=reunion, user=user("pilote.ddets"), avis="valide")
    assert taches_de(user("pilote.ddets"), TODAY).comptes_rendus == []


def test_minutes_to_validate_are_in_the_page_and_the_reminder(demo, client, settings):
    client.login(username="pilote.ars@demo.pilotage.test", password=DEMO_PASSWORD)
    page = client.get("/taches/").content.decode()
    assert "Comptes rendus de réunion à valider" in page
    assert "Lire et valider le compte rendu" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.rappels_send(today=TODAY)
    ars_mail = next(m for m in mail.outbox if m.to == ["pilote.ars@demo.pilotage.test"])
    assert "Comité technique du 24/09/2026" in ars_mail.body
