"""En-têtes de sécurité : Permissions-Policy partout, pas de cache pour une personne
connectée (pages et téléchargements)."""

from tests.factories import UserFactory


def test_every_page_forbids_sensitive_browser_features(client, db):
    response = client.get("/comptes/connexion/")
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy


def test_pages_seen_by_a_logged_in_user_are_never_cached(client, db):
    client.force_login(UserFactory())
    response = client.get("/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
