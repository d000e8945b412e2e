"""Charge la démonstration (idempotent) et affiche les comptes de démonstration."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilotage.demo.services import ACCOUNTS, DEMO_PASSWORD, demo_load, demo_refusal
from pilotage.demo.services.precedent import demo_precedent_load


class Command(BaseCommand):
    help = (
        "Charge les contrats 2025-2027 et 2020-2024 de la Creuse et les comptes de démonstration."
    )

    def add_arguments(self, parser):
        parser.add_argument("--silencieux", action="store_true", help="N'affiche pas les comptes.")
        parser.add_argument(
            "--adresse",
            default="",
            help=(
                "Adresse du serveur à ouvrir, aussi celle du lien de l'invitation envoyée "
                "(make demo donne celle de runserver ; SITE_URL par défaut)."
            ),
        )

    def handle(self, *args, silencieux=False, adresse="", **options):
        if refusal := demo_refusal():
            raise CommandError(refusal)
        adresse = (adresse or settings.SITE_URL).rstrip("/")
        created = demo_load(base_url=adresse)
        # Le contrat précédent (rapport d'exécution 2024) vient en plus : `demo_load` reste
        # la démonstration d'un seul contrat par département que chargent les tests.
        created["contrats"] += demo_precedent_load()
        self.stdout.write(
            f"Démonstration prête : {created['contrats']} contrat(s) et "
            f"{created['comptes']} compte(s) créés (0 = déjà chargés)."
        )
        if silencieux:
            return
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {DEMO_PASSWORD})")
        for account in ACCOUNTS:
            role = (
                account.role.label
                if account.role
                else {
                    "regional": "Périmètre régional (lecture)",
                    "national": "Périmètre national (lecture)",
                }.get(account.perimetre, "")
            )
            if account.is_superuser:
                role = "Administration du service"
            self.stdout.write(f"  {account.email:<36} {role} – {account.institution}")
        self.stdout.write("")
        self.stdout.write(f"Ouvrez {adresse} et connectez-vous avec l'un de ces comptes.")
