"""Adresse IP réelle derrière un mandataire de confiance (core.proxies) : elle sert au
blocage des connexions, aux rafales, aux limites et aux journaux ; un client qui forge
X-Forwarded-For sans passer par un mandataire déclaré n'obtient rien."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from pilotage.core.proxies import (
    PROXY_ADDR_META,
    TrustedProxyMiddleware,
    client_address,
    parse_trusted_proxies,
)

PROXIES = parse_trusted_proxies("127.0.0.1, 10.0.0.0/8")


def test_without_trusted_proxies_remote_addr_is_kept_even_with_forwarded_for():
    assert client_address("203.0.113.5", "198.51.100.1", ()) == "203.0.113.5"


def test_forwarded_for_from_an_untrusted_peer_is_ignored():
    assert client_address("203.0.113.5", "198.51.100.1", PROXIES) == "203.0.113.5"


def test_the_last_untrusted_hop_is_the_client():
    assert client_address("127.0.0.1", "198.51.100.1", PROXIES) == "198.51.100.1"


def test_a_forged_left_part_of_the_header_is_not_believed():
    # Le client a écrit « 1.2.3.4 » ; le mandataire a ajouté l'adresse qu'il a vue.
    assert client_address("127.0.0.1", "1.2.3.4, 198.51.100.1", PROXIES) == "198.51.100.1"


def test_chained_trusted_proxies_are_skipped():
    assert client_address("127.0.0.1", "198.51.100.1, 10.1.2.3", PROXIES) == "198.51.100.1"


def test_an_unreadable_hop_stops_at_the_last_trusted_address():
    assert client_address("127.0.0.1", "junk, 10.1.2.3", PROXIES) == "10.1.2.3"


def test_a_huge_header_is_read_quickly_and_bounded():
    header = "10.0.0.1," * 100_000 + "198.51.100.1"
    # Tronqué : la fin n'est pas lue, il reste des mandataires de confiance seulement.
    assert client_address("127.0.0.1", header, PROXIES) in {"10.0.0.1", "127.0.0.1"}


def test_ipv6_networks_are_accepted():
    networks = parse_trusted_proxies("::1, fd00::/8")
    assert client_address("::1", "2001:db8::7, fd00::3", networks) == "2001:db8::7"


def test_an_invalid_trusted_proxy_stops_start_up_with_a_french_message():
    with pytest.raises(ImproperlyConfigured, match="n'est ni une adresse IP"):
        parse_trusted_proxies("127.0.0.1, mandataire.local")


def test_middleware_rewrites_remote_addr_and_keeps_the_proxy_address(settings):
    settings.TRUSTED_PROXIES = "127.0.0.1"
    seen = {}

    def view(request):
        seen.update(request.META)
        return None

    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    TrustedProxyMiddleware(view)(request)
    assert seen["REMOTE_ADDR"] == "198.51.100.1"
    assert seen[PROXY_ADDR_META] == "127.0.0.1"


@pytest.mark.axes
@pytest.mark.django_db
def test_login_lockout_counts_the_real_address_behind_the_proxy(client, settings):
    """De bout en bout : un échec de connexion derrière le mandataire est compté pour
    l'adresse du visiteur, pas pour celle du mandataire."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = "127.0.0.1"
    client.post(
        "/comptes/connexion/",
        {"username": "personne@example.org", "password": "mauvais-mot-de-passe"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.1"]
