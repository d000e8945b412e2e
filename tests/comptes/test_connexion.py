from tests.factories import UserFactory


def test_anonymous_user_is_sent_to_the_login_page(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/connexion/")


def test_user_logs_in_with_email_whatever_the_case(client, db):
    UserFactory(email="agent.pmi@exemple.test")
    response = client.post(
        "/comptes/connexion/",
        {"username": "Agent.PMI@exemple.test", "password": "mot-de-passe-test"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_wrong_password_gives_a_french_message(client, db):
    UserFactory(email="agent.pmi@exemple.test")
    response = client.post(
        "/comptes/connexion/", {"username": "agent.pmi@exemple.test", "password": "faux"}
    )
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_legal_pages_are_public_and_linked_from_the_footer(client, db):
    page = client.get("/comptes/connexion/").content.decode()
    for url in ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"]:
        assert f'href="{url}"' in page
        assert client.get(url).status_code == 200


def test_user_without_any_contract_is_told_how_to_get_access(client, db):
    client.force_login(UserFactory())
    assert "Demandez à un pilote" in client.get("/").content.decode()


def test_logout_is_a_post_and_ends_the_session(client, db):
    client.force_login(UserFactory())
    client.post("/comptes/deconnexion/")
    assert client.get("/").status_code == 302
