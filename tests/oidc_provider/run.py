"""Lance le fournisseur de test : `python -m tests.oidc_provider.run --port 8765`.

Crée sa base (SQLite, dossier temporaire), la personne de test et le client enregistré,
puis sert jusqu'à l'arrêt du processus."""

import argparse
import os


def _setup(base_url: str) -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from . import AGENT_PASSWORD, AGENT_USERNAME, CLIENT_ID, CLIENT_SECRET

    call_command("migrate", verbosity=0)
    agent = get_user_model().objects.create_user(
        AGENT_USERNAME,
        "agent@exemple.gouv.fr",
        AGENT_PASSWORD,
        first_name="Aline",
        last_name="Agent",
    )
    callbacks = ("http://testserver", "http://127.0.0.1", "http://localhost")
    Application.objects.create(
        name="Pilotage partagé (test)",
        user=agent,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
        redirect_uris=" ".join(f"{host}/oidc/callback/" for host in callbacks),
        post_logout_redirect_uris=" ".join(
            f"{host}/comptes/deconnexion/proconnect/" for host in callbacks
        ),
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args().port
    base_url = f"http://127.0.0.1:{port}"
    os.environ["OIDC_PROVIDER_URL"] = base_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

    import django
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application

    django.setup()
    _setup(base_url)
    run("127.0.0.1", port, get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
