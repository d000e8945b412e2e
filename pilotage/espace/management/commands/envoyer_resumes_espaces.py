"""Envoie le résumé hebdomadaire des espaces suivis (cron : `0 7 * * 1`, le lundi à 7 h).

Sans risque à relancer, même après une interruption : un élément figure dans un seul
résumé par abonnement (`pilotage/espace/resumes.py`). `--dry-run` dit qui recevrait quoi,
sans rien envoyer ni écrire.
"""

from django.core.management.base import BaseCommand

from pilotage.espace.resumes import resumes_apercu, resumes_envoyer


class Command(BaseCommand):
    help = (
        "Envoie à chaque personne qui suit des espaces partagés un courriel de ce qui y est "
        "nouveau depuis son dernier résumé (rien s'il n'y a rien)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Affiche qui recevrait quoi, sans rien envoyer ni enregistrer.",
        )
        parser.add_argument(
            "--adresse",
            default=None,
            help="Adresse du site dans les liens des courriels (par défaut : réglage SITE_URL).",
        )

    def handle(self, *args, dry_run=False, adresse=None, **options):
        if dry_run:
            resumes = resumes_apercu(base_url=adresse)
            for resume in resumes:
                self._decrire(resume)
            self.stdout.write(f"{len(resumes)} résumé(s) à envoyer (essai : rien n'est envoyé).")
            return
        resumes = resumes_envoyer(base_url=adresse)
        self.stdout.write(f"{len(resumes)} résumé(s) envoyé(s).")

    def _decrire(self, resume) -> None:
        self.stdout.write(f"{resume.user.email} : {resume.total} nouveauté(s)")
        for section in resume.sections:
            self.stdout.write(f"  {section.espace.nom}")
            for ressource in section.ressources.elements:
                self.stdout.write(f"    ressource : {ressource.titre}")
            for version in section.versions.elements:
                self.stdout.write(
                    f"    nouvelle version : {version.ressource.titre} ({version.nom})"
                )
            for actualite in section.actualites.elements:
                self.stdout.write(f"    actualité : {actualite.titre}")
            for proposition in section.propositions.elements:
                self.stdout.write(
                    f"    proposition {proposition.get_statut_display().lower()} : "
                    f"{proposition.titre}"
                )
