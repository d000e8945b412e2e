"""Adresse IP réelle des visiteurs derrière un mandataire inverse de confiance.

Tout ce qui dépend de l'adresse du client (blocage des connexions par django-axes,
rafales de 403/404, limite des téléchargements, journal des accès, journal de sécurité)
lit `REMOTE_ADDR`. Derrière un mandataire, c'est l'adresse du mandataire : tous les
visiteurs partageraient une adresse. `TrustedProxyMiddleware`, placé en tête, remplace
`REMOTE_ADDR` par l'adresse du client **seulement** quand la requête vient d'un
mandataire déclaré dans `TRUSTED_PROXIES` : un client qui écrit lui-même
`X-Forwarded-For` en s'adressant directement au serveur n'obtient rien.

Lecture de `X-Forwarded-For` de droite à gauche : chaque mandataire ajoute à droite
l'adresse de qui lui a parlé ; on saute les mandataires de confiance et la première
adresse restante est celle du client (ce qui est plus à gauche a pu être forgé).
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: Au-delà, l'en-tête est tronqué : une chaîne démesurée ne coûte rien à lire.
FORWARDED_FOR_MAX_CHARS = 2000
#: Adresse d'origine (celle du mandataire), gardée pour le diagnostic.
PROXY_ADDR_META = "PILOTAGE_PROXY_ADDR"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """« 127.0.0.1, 10.0.0.0/8 » → réseaux ; une entrée invalide arrête le démarrage."""
    networks = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES : « {item} » n'est ni une adresse IP ni un réseau (ex. 10.0.0.0/8)."
            ) from exc
    return tuple(networks)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address, networks: Iterable[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(remote_addr: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """L'adresse du client d'après `REMOTE_ADDR` et `X-Forwarded-For`."""
    if not networks or not forwarded_for or not _trusted(_address(remote_addr), networks):
        return remote_addr
    hops = forwarded_for[:FORWARDED_FOR_MAX_CHARS].split(",")
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Maillon illisible : on ne devine pas au-delà, on garde le dernier sûr.
            return remote_addr
        if not _trusted(address, networks):
            return str(address)
        remote_addr = str(address)
    return remote_addr


class TrustedProxyMiddleware:
    """Remplace `REMOTE_ADDR` par l'adresse du client derrière un mandataire de confiance."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.networks = parse_trusted_proxies(getattr(settings, "TRUSTED_PROXIES", ""))

    def __call__(self, request):
        if self.networks:
            remote = request.META.get("REMOTE_ADDR", "")
            client = client_address(
                remote, request.META.get("HTTP_X_FORWARDED_FOR", ""), self.networks
            )
            if client != remote:
                request.META[PROXY_ADDR_META] = remote
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)
