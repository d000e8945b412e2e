"""Liens d'évitement sur toutes les pages et déclaration d'accessibilité (RGAA 4.1)."""

import re
from html.parser import HTMLParser

import pytest

from tests.factories import UserFactory


class _Page(HTMLParser):
    """Les identifiants de la page et les liens d'évitement (href, texte)."""

    def __init__(self):
        super().__init__()
        self.ids: list[str] = []
        self.skiplinks: list[tuple[str, str]] = []
        self._in_skiplinks = False
        self._href = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "ul" and "fr-skiplinks__list" in (attrs.get("class") or ""):
            self._in_skiplinks = True
        if self._in_skiplinks and tag == "a":
            self._href = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "ul":
            self._in_skiplinks = False

    def handle_data(self, data):
        if self._href is not None and data.strip():
            self.skiplinks.append((self._href, data.strip()))
            self._href = None


def _parse(response) -> _Page:
    assert response.status_code == 200
    page = _Page()
    page.feed(response.content.decode())
    return page


def _assert_targets_exist(page: _Page) -> None:
    for href, label in page.skiplinks:
        assert href.startswith("#") and href[1:] in page.ids, f"{label} : cible {href} absente"


def test_anonymous_pages_skip_to_content_and_footer(client, db):
    for url in ["/comptes/connexion/", "/accessibilite/", "/comptes/mot-de-passe/oublie/"]:
        page = _parse(client.get(url))
        assert [label for _, label in page.skiplinks] == [
            "Aller au contenu",
            "Aller au pied de page",
        ], url
        _assert_targets_exist(page)


@pytest.mark.parametrize("url", ["/", "/taches/", "/referentiel/", "/comptes/"])
def test_signed_in_pages_skip_to_content_menu_and_footer(client, db, url):
    client.force_login(UserFactory())
    page = _parse(client.get(url))
    assert page.skiplinks == [
        ("#content", "Aller au contenu"),
        ("#fr-navigation", "Aller au menu"),
        ("#footer", "Aller au pied de page"),
    ]
    _assert_targets_exist(page)


def test_page_ids_are_unique(client, db):
    client.force_login(UserFactory())
    page = _parse(client.get("/"))
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates


def test_footer_links_to_the_accessibility_statement(client, db):
    html = client.get("/comptes/connexion/").content.decode()
    assert re.search(r'<a [^>]*href="/accessibilite/"[^>]*>Accessibilité : non conforme</a>', html)


def test_accessibility_statement_follows_the_rgaa_model(client, db, settings):
    settings.DEFAULT_FROM_EMAIL = "accessibilite@example.gouv.fr"
    html = client.get("/accessibilite/").content.decode()
    assert "<h1>Déclaration d'accessibilité</h1>" in html
    for section in [
        "État de conformité",
        "Résultats des contrôles automatiques",
        "Ce qui reste à vérifier à la main",
        "Contenus non accessibles",
        "Établissement de cette déclaration",
        "Retour d'information et contact",
        "Voies de recours",
    ]:
        assert f">{section}</h" in html, section
    assert "<strong>non conforme</strong>" in html
    assert "RGAA), version 4.1" in html
    assert "Établie le 2 décembre 2026." in html
    assert 'href="mailto:accessibilite@example.gouv.fr"' in html
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in html
    # Des critères couverts par les contrôles automatiques et ce qui reste à auditer.
    assert "3.2 Contraste" in html and "12.7 Liens d'évitement" in html
    assert "10.1 à 10.14" in html
