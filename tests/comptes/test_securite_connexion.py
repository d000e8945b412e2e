"""Connexion : blocage après des échecs répétés (application et /admin/), règles du mot de
passe, durée de vie de la session."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from pilotage.core.middleware import SESSION_REFRESHED, SESSION_STARTED
from tests.factories import UserFactory

LOGIN = "/comptes/connexion/"
PASSWORD = "mot-de-passe-test"


def attempt(client, email, password, url=LOGIN):
    return client.post(url, {"username": email, "password": password})


@pytest.mark.axes
def test_five_failures_lock_the_account_from_this_address_with_a_french_retry_time(client, db):
    user = UserFactory(email="agent.pmi@exemple.test")
    for _ in range(4):
        assert attempt(client, user.email, "faux").status_code == 200
    locked = attempt(client, user.email, "faux")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Trop de tentatives de connexion" in page
    assert "Réessayez à partir de" in page
    assert int(locked["Retry-After"]) == 15 * 60
    # Même le bon mot de passe est refusé pendant le blocage.
    assert attempt(client, user.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.axes
def test_the_lock_ends_after_the_cool_off_time(client, db, settings):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=1)
    user = UserFactory(email="agent.pmi@exemple.test")
    for _ in range(5):
        attempt(client, user.email, "faux")
    assert attempt(client, user.email, PASSWORD).status_code == 429
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(seconds=5))
    assert attempt(client, user.email, PASSWORD).status_code == 302


@pytest.mark.axes
def test_the_admin_login_is_locked_too(client, db):
    admin = UserFactory(email="admin@exemple.test", is_staff=True, is_superuser=True)
    for _ in range(5):
        attempt(client, admin.email, "faux", url="/admin/login/")
    assert attempt(client, admin.email, PASSWORD, url="/admin/login/").status_code == 429


@pytest.mark.axes
def test_another_account_is_not_locked_by_someone_elses_failures(client, db):
    victim = UserFactory(email="agent.pmi@exemple.test")
    other = UserFactory(email="agent.ase@exemple.test")
    for _ in range(5):
        attempt(client, victim.email, "faux")
    assert attempt(client, other.email, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "password", ["court-11car", "password1234", "qwertyuiop12", "123456789012345"]
)
def test_weak_passwords_are_refused_in_french(db, password):
    with pytest.raises(ValidationError) as error:
        validate_password(password, UserFactory())
    assert any(
        "court" in m or "courant" in m or "numérique" in m or "entièrement" in m
        for m in error.value.messages
    ), error.value.messages


def test_a_long_uncommon_passphrase_is_accepted(db):
    validate_password("cheval-agrafe-batterie-correcte", UserFactory())


def test_a_session_is_closed_after_its_absolute_lifetime_even_when_active(client, db, settings):
    client.force_login(UserFactory())
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_STARTED] -= settings.SESSION_ABSOLUTE_SECONDS + 1
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")
    assert "_auth_user_id" not in client.session


def test_activity_pushes_back_the_two_hour_idle_expiry(client, db, settings):
    assert settings.SESSION_COOKIE_AGE == 2 * 3600
    client.force_login(UserFactory())
    client.get("/")
    session = client.session
    first_expiry = session.get_expiry_date()
    session[SESSION_REFRESHED] -= settings.SESSION_REFRESH_SECONDS + 1  # 5 minutes plus tard
    session.save()
    client.get("/")
    from django.contrib.sessions.models import Session

    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date > first_expiry


def test_a_session_without_activity_for_two_hours_is_closed(client, db):
    from django.contrib.sessions.models import Session

    client.force_login(UserFactory())
    client.get("/")
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")
