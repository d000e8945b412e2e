"""Content-Security-Policy : sur toutes les pages, sans « unsafe-inline » pour les
scripts ; le seul script en ligne (thème clair de la séance) porte le nonce de la page."""

import re

from pilotage.core.middleware import PERMISSIONS_POLICY
from tests.factories import UserFactory


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def test_the_login_page_carries_a_strict_policy(client, db):
    directives = policy(client.get("/comptes/connexion/"))
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def inline_scripts_without_nonce(response) -> list[str]:
    found = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    nonce = found.group(1) if found else None
    return [
        tag
        for tag in re.findall(r"<script\b[^>]*>", response.content.decode())
        if "src=" not in tag and not (nonce and f'nonce="{nonce}"' in tag)
    ]


def test_every_script_of_a_page_is_a_file_of_the_site(client, db):
    client.force_login(UserFactory())
    response = client.get("/")
    assert inline_scripts_without_nonce(response) == []
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_seance_inline_script_carries_the_nonce_of_the_page(client, db):
    from tests.factories import ContratFactory, grant, make_comite_suivi, make_fiche

    contrat = ContratFactory()
    pilote = UserFactory()
    grant(pilote, contrat)
    make_fiche(contrat, 1, user=pilote)
    reunion = make_comite_suivi(contrat, pilote)
    client.force_login(pilote)
    response = client.get(f"/contrats/{contrat.pk}/reunions/{reunion.pk}/seance/")
    assert response.status_code == 200
    assert "'nonce-" in response["Content-Security-Policy"]
    assert "<script nonce=" in response.content.decode()
    assert inline_scripts_without_nonce(response) == []
