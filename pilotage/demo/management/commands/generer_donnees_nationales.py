"""Génère le jeu de données national fictif (issue 15) : un contrat 2025-2027 signé par
département, pour les démonstrations des vues régionales et nationale et la mesure de
charge (`bench/charge.py`). Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from pilotage.demo.services import DEMO_PASSWORD, demo_refusal
from pilotage.demo.services.national import donnees_nationales_generer, pilote_email


def _positive(value: str) -> int:
    number = int(value)
    if not 1 <= number <= 200:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Génère un contrat 2025-2027 fictif (marqué « Données fictives ») pour chaque "
        "département réel qui n'en a pas : fiches, valeurs, relevés, réunions, pilotes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--departements",
            type=_positive,
            default=None,
            help="Seulement les N premiers départements par code (tous par défaut : 101).",
        )
        parser.add_argument("--fiches", type=_positive, default=20, help="Fiches par contrat (20).")
        parser.add_argument(
            "--reunions", type=_positive, default=6, help="Réunions par contrat (6)."
        )

    def handle(self, *args, departements=None, fiches=20, reunions=6, **options):
        if refusal := demo_refusal():
            raise CommandError(refusal.replace("La démonstration", "Le jeu national fictif"))
        bilan = donnees_nationales_generer(
            departements=departements, fiches=fiches, reunions=reunions, password=DEMO_PASSWORD
        )
        self.stdout.write(
            f"Jeu national fictif : {bilan.contrats} contrat(s) créé(s), "
            f"{bilan.deja_presents} département(s) déjà pourvu(s) laissé(s) tel(s) quel(s)."
        )
        if bilan.contrats:
            self.stdout.write(
                f"  {bilan.fiches} fiches, {bilan.valeurs} valeurs d'indicateurs, "
                f"{bilan.releves} relevés validés, {bilan.reunions} réunions, "
                f"{bilan.decisions} décisions, {bilan.comptes} compte(s) créé(s)."
            )
            exemple = pilote_email("cd", bilan.departements[0])
            self.stdout.write(
                f"  Pilotes : {exemple} (cd, ddets ou ars, puis le code du département), "
                f"mot de passe {DEMO_PASSWORD}."
            )
        self.stdout.write(f"  Durée : {bilan.secondes:.1f} s.")
