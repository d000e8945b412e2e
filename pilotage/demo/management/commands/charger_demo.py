"""Charge la démonstration (idempotent) et affiche les comptes de démonstration."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from pilotage.core.recherche import reindex_all
from pilotage.demo.services import ACCOUNTS, DEMO_PASSWORD, demo_load, demo_refusal
from pilotage.demo.services.national import donnees_nationales_generer
from pilotage.demo.services.precedent import demo_precedent_load

#: Taille du jeu national que `make demo` ajoute (les vues nationales montrent alors les
#: 101 départements) : quelques fiches et réunions par contrat fictif, chargées en moins
#: d'une minute ; `generer_donnees_nationales` produit la taille du banc de charge.
NATIONAL_REUNIONS = 3


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
        parser.add_argument(
            "--national",
            type=int,
            default=0,
            metavar="FICHES",
            help=(
                "Ajoute un contrat fictif (« Données fictives ») à chaque autre département, "
                "avec FICHES fiches (make demo : 8) ; 0 par défaut : rien."
            ),
        )

    def handle(self, *args, silencieux=False, adresse="", national=0, **options):
        if refusal := demo_refusal():
            raise CommandError(refusal)
        if not 0 <= national <= 50:
            raise CommandError("--national : un nombre de fiches entre 0 et 50.")
        adresse = (adresse or settings.SITE_URL).rstrip("/")
        created = demo_load(base_url=adresse)
        # Le contrat précédent (rapport d'exécution 2024) vient en plus : `demo_load` reste
        # la démonstration d'un seul contrat par département que chargent les tests.
        created["contrats"] += demo_precedent_load()
        if national:
            bilan = donnees_nationales_generer(
                fiches=national, reunions=NATIONAL_REUNIONS, password=DEMO_PASSWORD
            )
            created["contrats"] += bilan.contrats
            self.stdout.write(
                f"Jeu national fictif : {bilan.contrats} contrat(s) fictif(s) créé(s) "
                f"({bilan.secondes:.0f} s) ; pilotes fictif.cd.01@demo.pilotage.test, "
                "fictif.ddets.01…, fictif.ars.01… (puis le code du département)."
            )
        # En dernier : le jeu national est écrit en lot, sans passer par les services qui
        # tiennent l'index de la recherche à jour.
        indexes = reindex_all()
        self.stdout.write(f"Recherche : {indexes} élément(s) indexé(s).")
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
