"""Aides des tests des fichiers enregistrés : les routes telles qu'en développement, et
la vérification des en-têtes de tout téléchargement."""

import contextlib
import importlib

from django.urls import clear_url_caches

DOWNLOAD_HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store, private"}


@contextlib.contextmanager
def development_urls(settings):
    """Les routes chargées comme par `make demo` ou `runserver` (DEBUG actif au chargement
    de `config.urls`), puis rechargées comme avant."""
    import config.urls

    debug = settings.DEBUG
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    try:
        yield
    finally:
        settings.DEBUG = debug
        importlib.reload(config.urls)
        clear_url_caches()


def media_url(field_file) -> str:
    """L'adresse devinable qu'un fichier aurait sous /media/."""
    return f"/media/{field_file.name}"


def assert_download_headers(response, content_type: str, filename: str) -> bytes:
    """Pièce jointe au type tiré des octets, sans type deviné ni mise en cache ; rend le
    contenu et ferme la réponse (le fichier lu), comme le serveur le fait."""
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment; ")
    assert f"filename*=UTF-8''{filename}" in response["Content-Disposition"]
    for header, value in DOWNLOAD_HEADERS.items():
        assert response[header] == value, header
    try:
        return response.getvalue()
    finally:
        response.close()
