"""Journal de sécurité (lignes JSON du logger `pilotage.securite`) : connexions réussies,
échouées et bloquées, déconnexions, rafales de 403 et de 404. Jamais de mot de passe ni
d'adresse saisie en clair."""

import json
import logging

import pytest
from django.conf import settings as django_settings

from pilotage.journal.securite import compte_empreinte
from tests.factories import UserFactory

LOGIN = "/comptes/connexion/"
PASSWORD = "mot-de-passe-test"


def _named(events, name):
    return [e for e in events if e["evenement"] == name]


def test_the_security_logger_prints_the_raw_json_line_and_does_not_propagate():
    config = django_settings.LOGGING
    assert config["loggers"]["pilotage.securite"]["propagate"] is False
    handler = config["loggers"]["pilotage.securite"]["handlers"][0]
    formatter = config["handlers"][handler]["formatter"]
    assert config["formatters"][formatter]["format"] == "%(message)s"
    assert logging.getLogger("pilotage.securite").propagate is False


def test_a_failed_login_logs_a_fingerprint_never_the_address_nor_the_password(client, db, securite):
    UserFactory(email="agent.pmi@exemple.test")
    client.post(LOGIN, {"username": "Agent.PMI@exemple.test", "password": "Secret-tres-prive"})
    (event,) = _named(securite(), "connexion_echec")
    assert event["_level"] == "WARNING"
    assert event["compte"] == compte_empreinte("agent.pmi@exemple.test")
    assert len(event["compte"]) == 16
    assert event["ip"] == "127.0.0.1" and event["chemin"] == LOGIN
    line = json.dumps(event)
    assert "Secret-tres-prive" not in line and "agent.pmi" not in line.lower()


@pytest.mark.axes
def test_a_lockout_logs_blocage(client, db, securite):
    user = UserFactory(email="agent.ase@exemple.test")
    for _ in range(5):
        client.post(LOGIN, {"username": user.email, "password": "faux"})
    events = securite()
    assert len(_named(events, "connexion_echec")) == 5
    (blocage,) = _named(events, "blocage")
    assert blocage["compte"] == compte_empreinte(user.email)
    assert blocage["minutes"] == 15
    assert "faux" not in json.dumps(events)


def test_a_successful_login_and_a_logout_are_logged_at_info_level(client, db, securite):
    user = UserFactory(email="agent.pmi@exemple.test")
    assert client.post(LOGIN, {"username": user.email, "password": PASSWORD}).status_code == 302
    client.post("/comptes/deconnexion/")
    (connexion,) = _named(securite(), "connexion")
    (deconnexion,) = _named(securite(), "deconnexion")
    assert connexion["_level"] == deconnexion["_level"] == "INFO"
    assert connexion["utilisateur"] == deconnexion["utilisateur"] == user.pk
    assert connexion["moyen"] == "ModelBackend"


def test_25_not_found_from_one_address_log_exactly_one_burst(client, db, securite):
    for i in range(25):
        assert client.get(f"/calendrier/jeton-invente-{i}.ics").status_code == 404
    (event,) = _named(securite(), "rafale_404")
    assert event["par"] == "ip" and event["ip"] == "127.0.0.1"
    assert event["reponses_ip"] == 20 and event["seuil"] == 20


def test_a_few_not_found_log_nothing(client, db, securite):
    for i in range(19):
        client.get(f"/calendrier/jeton-invente-{i}.ics")
    assert not _named(securite(), "rafale_404")


def test_a_burst_of_403_by_one_account_logs_one_burst_naming_the_account(
    client, contrat, lecteur, securite
):
    client.force_login(lecteur)
    for _ in range(30):
        assert client.get(f"/contrats/{contrat.pk}/journal/").status_code == 403
    (event,) = _named(securite(), "rafale_403")
    assert event["par"] == "ip compte"
    assert event["utilisateur"] == lecteur.pk
    assert not _named(securite(), "rafale_404")


def test_the_threshold_is_a_setting(client, db, securite, settings):
    settings.SECURITE_RAFALE_PAR_MINUTE = 3
    for i in range(3):
        client.get(f"/calendrier/jeton-invente-{i}.ics")
    assert len(_named(securite(), "rafale_404")) == 1
