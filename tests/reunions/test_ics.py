"""Invitations par courriel avec .ics, fichiers iCalendar d'une réunion et d'un contrat,
flux d'agenda à jeton (sans session)."""

import datetime
import smtplib

import pytest
from django.contrib.messages import get_messages
from django.core import mail, signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from icalendar import Calendar

from pilotage.contrats.models import Habilitation
from pilotage.reunions import services
from pilotage.reunions.models import Reunion
from pilotage.territoires.models import Departement
from tests.factories import ContratFactory, InstitutionFactory, UserFactory, grant, make_fiche
from tests.reunions.helpers import at, url


def flux_token(contrat, user) -> str:
    """Une adresse d'abonnement fraîche (le jeton en clair, montré une fois)."""
    return services.jeton_flux_create(user=user, contrat=contrat)[1]


@pytest.fixture
def pilote(contrat):
    user = UserFactory(
        first_name="Claire",
        last_name="Pilote",
        email="claire.pilote@creuse.exemple.test",
        institution=InstitutionFactory(nom="Conseil départemental de la Creuse"),
    )
    grant(user, contrat)
    return user


@pytest.fixture
def pilote_ars(contrat):
    user = UserFactory(email="pilote.ars@ars.exemple.test")
    grant(user, contrat)
    return user


@pytest.fixture
def reunion(contrat, pilote, pilote_ars):
    for numero in (1, 2):
        make_fiche(contrat, numero, user=pilote, a_impact=True)
    reunion = services.reunion_create(
        contrat=contrat,
        user=pilote,
        fields={
            "date": at(30),
            "duree_minutes": 150,
            "lieu": "Hôtel du département, Guéret",
            "lien_visio": "https://webconf.exemple.test/comite-23",
            "ordre_du_jour": "a_impact",
        },
    )
    services.participation_add(
        reunion=reunion, nom="Directrice CAF", email="direction@caf.exemple.test"
    )
    services.participation_add(reunion=reunion, nom="Invité sans adresse")
    return reunion


def calendar_of(email) -> Calendar:
    (attachment,) = email.attachments
    assert attachment.mimetype.startswith("text/calendar")
    return Calendar.from_ical(attachment.content)


def event_of(cal: Calendar):
    (event,) = cal.walk("VEVENT")
    return event


def attendees(event) -> set[str]:
    values = event.get("attendee")
    values = values if isinstance(values, list) else [values]
    return {str(v).removeprefix("mailto:") for v in values}


# --- Invitations ------------------------------------------------------------------------


def test_invitations_are_sent_to_each_participant_with_an_address(reunion, pilote):
    sent = services.invitations_send(
        reunion=reunion, user=pilote, base_url="https://pilotage.exemple.test/"
    )
    assert sent == 3 == len(mail.outbox)
    assert {m.to[0] for m in mail.outbox} == {
        "claire.pilote@creuse.exemple.test",
        "pilote.ars@ars.exemple.test",
        "direction@caf.exemple.test",
    }
    email = mail.outbox[0]
    assert email.subject.startswith("Invitation : Comité de suivi du")
    assert "webconf.exemple.test/comite-23" in email.body
    assert f"https://pilotage.exemple.test{url('detail', reunion)}" in email.body
    cal = calendar_of(email)
    assert str(cal["method"]) == "REQUEST"
    event = event_of(cal)
    assert str(event["uid"]) == reunion.uid
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == reunion.date
    assert event.decoded("dtstart").utcoffset() == datetime.timedelta(0)
    assert event.decoded("dtend") == reunion.date + datetime.timedelta(minutes=150)
    assert str(event["location"]) == "Hôtel du département, Guéret"
    assert "Comité de suivi" in str(event["summary"])
    assert "webconf.exemple.test/comite-23" in str(event["description"])
    assert str(event["organizer"]) == "mailto:claire.pilote@creuse.exemple.test"
    assert attendees(event) == {m.to[0] for m in mail.outbox}
    assert not reunion.participations.filter(
        invitation_envoyee_le__isnull=True, email__gt=""
    ).exists()
    assert reunion.participations.get(nom="Invité sans adresse").invitation_envoyee_le is None


def test_invitation_after_a_change_of_date_is_an_update_with_a_higher_sequence(reunion, pilote):
    services.invitations_send(reunion=reunion, user=pilote)
    mail.outbox.clear()
    reunion = services.reunion_update(reunion=reunion, user=pilote, fields={"date": at(35)})
    assert reunion.sequence == 1
    services.invitations_send(reunion=reunion, user=pilote)
    email = mail.outbox[0]
    assert email.subject.startswith("Invitation mise à jour")
    event = event_of(calendar_of(email))
    assert int(event["sequence"]) == 1 and str(event["uid"]) == reunion.uid
    assert event.decoded("dtstart") == at(35)


def test_cancelling_sends_the_cancellation_to_those_already_invited(client, reunion, pilote):
    services.invitations_send(reunion=reunion, user=pilote)
    mail.outbox.clear()
    late = services.participation_add(
        reunion=reunion, nom="Arrivé après", email="tard@exemple.test"
    )
    client.force_login(pilote)
    client.post(url("edit", reunion), {"action": "annuler"})
    assert len(mail.outbox) == 3
    assert late.email not in {m.to[0] for m in mail.outbox}
    cal = calendar_of(mail.outbox[0])
    assert str(cal["method"]) == "CANCEL"
    event = event_of(cal)
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1
    assert mail.outbox[0].subject.startswith("Annulation")


def test_invitations_button_sends_and_tells_how_many(client, reunion, pilote):
    client.force_login(pilote)
    response = client.post(url("invitations", reunion))
    assert response.status_code == 302
    assert len(mail.outbox) == 3
    assert (
        "Envoi lancé : 3 invitation(s)" in [str(m) for m in get_messages(response.wsgi_request)][0]
    )


def test_no_invitation_for_a_past_meeting(reunion, pilote):
    Reunion.objects.filter(pk=reunion.pk).update(date=at(-3))
    reunion.refresh_from_db()
    with pytest.raises(ValidationError):
        services.invitations_send(reunion=reunion, user=pilote)
    assert not mail.outbox


def test_a_mail_server_failure_marks_nobody_as_invited(client, reunion, pilote, monkeypatch):
    def fail(self, messages):
        raise smtplib.SMTPServerDisconnected("connexion perdue")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", fail)
    client.force_login(pilote)
    response = client.post(url("invitations", reunion))
    assert response.status_code == 302
    assert "serveur de courriel" in str(list(get_messages(response.wsgi_request))[0])
    assert not reunion.participations.filter(invitation_envoyee_le__isnull=False).exists()


def test_with_the_database_queue_invitations_leave_with_the_worker_once_marked(
    reunion, pilote, tasks_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.invitations_send(reunion=reunion, user=pilote)
    assert sent == 3 and not mail.outbox
    assert DBTaskResult.objects.filter(status="READY").count() == 3
    assert not reunion.participations.filter(
        invitation_envoyee_le__isnull=True, email__gt=""
    ).exists()
    tasks_worker()
    assert len(mail.outbox) == 3
    assert all(str(calendar_of(m)["method"]) == "REQUEST" for m in mail.outbox)
    assert {m.reply_to[0] for m in mail.outbox} == {"claire.pilote@creuse.exemple.test"}


def test_only_pilots_send_invitations(reunion, contrat):
    lecteur = UserFactory()
    grant(lecteur, contrat, Habilitation.Role.LECTEUR)
    with pytest.raises(PermissionDenied):
        services.invitations_send(reunion=reunion, user=lecteur)
    assert not mail.outbox


# --- Fichiers .ics --------------------------------------------------------------------


def test_meeting_ics_is_a_valid_calendar_with_attendees(client, reunion, pilote):
    client.force_login(pilote)
    response = client.get(url("ics", reunion))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    cal = Calendar.from_ical(response.content)
    assert str(cal["method"]) == "PUBLISH"
    event = event_of(cal)
    assert str(event["uid"]) == reunion.uid
    assert event.decoded("dtstart") == reunion.date
    assert "direction@caf.exemple.test" in attendees(event)
    assert str(event["url"]).endswith(url("detail", reunion))
    assert "réunion 1" in str(event["summary"])


def test_contract_ics_lists_the_non_cancelled_meetings_of_this_contract_only(
    client, contrat, reunion, pilote
):
    annulee = services.reunion_create(contrat=contrat, user=pilote, fields={"date": at(60)})
    services.reunion_cancel(reunion=annulee, user=pilote)
    passee = services.reunion_create(contrat=contrat, user=pilote, fields={"date": at(-60)})
    autre = ContratFactory(departement=Departement.objects.get(code="19"))
    services.reunion_create(contrat=autre, user=None, fields={"date": at(10)})
    client.force_login(pilote)
    response = client.get(reverse("reunions:contrat_ics", args=[contrat.pk]))
    uids = {str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT")}
    assert uids == {reunion.uid, passee.uid}


# --- Flux à jeton ---------------------------------------------------------------------


def test_feed_with_a_good_token_works_without_a_session(client, contrat, reunion, pilote):
    annulee = services.reunion_create(contrat=contrat, user=pilote, fields={"date": at(60)})
    services.reunion_cancel(reunion=annulee, user=pilote)
    autre = ContratFactory(departement=Departement.objects.get(code="19"))
    services.reunion_create(contrat=autre, user=None, fields={"date": at(10)})
    response = client.get(reverse("reunions:flux_ics", args=[flux_token(contrat, pilote)]))
    assert response.status_code == 200
    cal = Calendar.from_ical(response.content)
    assert [str(e["uid"]) for e in cal.walk("VEVENT")] == [reunion.uid]
    # Un flux se partage sans session : pas d'adresses de participants dedans.
    assert "attendee" not in event_of(cal)
    assert "Creuse" in str(cal["x-wr-calname"])


@pytest.mark.parametrize(
    "token",
    [
        "faux",
        "eyJjIjoxLCJ1IjoxfQ:signaturefausse",
        signing.Signer().sign_object({"c": 1, "u": 1}),
        # L'ancien jeton signé, lisible, ne vaut plus rien.
        signing.Signer(salt="pilotage.reunions.flux_ics").sign_object({"c": 1, "u": 1}),
        "a" * 5000,
    ],
)
def test_feed_with_a_bad_token_answers_404(client, contrat, reunion, token):
    assert client.get(reverse("reunions:flux_ics", args=[token])).status_code == 404


def test_feed_stops_when_the_person_no_longer_sees_the_contract(client, contrat, reunion, pilote):
    token = flux_token(contrat, pilote)
    Habilitation.objects.filter(user=pilote, contrat=contrat).delete()
    assert client.get(reverse("reunions:flux_ics", args=[token])).status_code == 404


def test_no_feed_address_for_someone_from_another_department(contrat, reunion):
    etranger = UserFactory()
    grant(etranger, ContratFactory(departement=Departement.objects.get(code="19")))
    with pytest.raises(PermissionDenied):
        flux_token(contrat, etranger)


def test_list_page_offers_to_create_the_personal_feed_address(client, contrat, reunion, pilote):
    client.force_login(pilote)
    html = client.get(reverse("reunions:list", args=[contrat.pk])).content.decode()
    assert reverse("reunions:abonnement_create", args=[contrat.pk]) in html
    assert "Créer mon adresse d'abonnement" in html
