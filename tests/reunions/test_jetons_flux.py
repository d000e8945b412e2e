"""Adresses d'abonnement aux flux d'agenda : jeton opaque gardé haché, montré une fois,
renouvelable et révocable depuis « Mes abonnements d'agenda », invalidé par un changement
de mot de passe ou six mois sans usage."""

import base64
import binascii
import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from pilotage.core.tokens import jeton_empreinte
from pilotage.reunions import services
from pilotage.reunions.jetons import JetonFlux
from tests.factories import UserFactory, grant, make_comite_suivi


@pytest.fixture
def pilote(contrat):
    user = UserFactory(first_name="Claire", last_name="Pilote")
    grant(user, contrat)
    return user


@pytest.fixture
def reunion(contrat, pilote):
    return make_comite_suivi(contrat, pilote)


def feed(client, token):
    return client.get(reverse("reunions:flux_ics", args=[token]))


def create(contrat, user) -> str:
    return services.jeton_flux_create(user=user, contrat=contrat)[1]


def test_a_fresh_token_serves_the_feed(client, contrat, reunion, pilote):
    response = feed(client, create(contrat, pilote))
    assert response.status_code == 200
    assert [str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT")] == [
        reunion.uid
    ]
    assert JetonFlux.objects.get().last_used_at is not None


def test_the_token_reveals_nothing_and_is_stored_only_hashed(contrat, pilote):
    token = create(contrat, pilote)
    assert len(token) >= 40
    stored = JetonFlux.objects.get()
    assert stored.token_hash == jeton_empreinte(token) != token
    for text in (token, token + "=" * (-len(token) % 4)):
        try:
            decoded = base64.urlsafe_b64decode(text)
        except (binascii.Error, ValueError):
            continue
        assert b'"c"' not in decoded and b'"u"' not in decoded
    assert str(pilote.pk) not in token.split(":") and ":" not in token


def test_the_old_token_is_invalid_after_rotation(client, contrat, reunion, pilote):
    old = create(contrat, pilote)
    new = create(contrat, pilote)
    assert feed(client, old).status_code == 404
    assert feed(client, new).status_code == 200


def test_a_revoked_token_answers_404(client, contrat, reunion, pilote):
    token = create(contrat, pilote)
    services.jeton_flux_revoke(jeton=JetonFlux.objects.get(), user=pilote)
    assert feed(client, token).status_code == 404


def test_a_password_change_invalidates_the_token(client, contrat, reunion, pilote):
    token = create(contrat, pilote)
    pilote.set_password("un tout autre mot de passe")
    pilote.save()
    assert feed(client, token).status_code == 404
    assert JetonFlux.objects.get().revoked_at is not None


def test_a_token_unused_for_six_months_expires(client, contrat, reunion, pilote):
    token = create(contrat, pilote)
    JetonFlux.objects.update(created_at=timezone.now() - datetime.timedelta(days=200))
    assert feed(client, token).status_code == 404


def test_the_creation_page_shows_the_address_once_and_is_not_cached(client, contrat, pilote):
    client.force_login(pilote)
    response = client.post(reverse("reunions:abonnement_create", args=[contrat.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    [address] = [p for p in html.split('"') if "/calendrier/" in p and p.endswith(".ics")]
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert JetonFlux.objects.get().token_hash == jeton_empreinte(token)
    page = client.get(reverse("reunions:list", args=[contrat.pk])).content.decode()
    assert token not in page
    assert "Renouveler mon adresse d'abonnement" in page


def test_the_user_page_lists_active_feeds_and_revokes_them(client, contrat, reunion, pilote):
    token = create(contrat, pilote)
    client.force_login(pilote)
    page = client.get(reverse("reunions:abonnements")).content.decode()
    assert str(contrat) in page
    stored = JetonFlux.objects.get()
    response = client.post(reverse("reunions:abonnement_revoke", args=[stored.pk]), follow=True)
    assert "est révoquée" in response.content.decode()
    assert feed(client, token).status_code == 404


def test_nobody_revokes_someone_elses_feed(client, contrat, pilote):
    create(contrat, pilote)
    other = UserFactory()
    grant(other, contrat)
    client.force_login(other)
    stored = JetonFlux.objects.get()
    assert client.post(reverse("reunions:abonnement_revoke", args=[stored.pk])).status_code == 404
    assert JetonFlux.objects.get().revoked_at is None
