"""Une ligne de l'index de recherche : un objet indexable, son texte et sa portée.

La portée (contrat, département, région, espace) est rangée sur la ligne pour que « ce
que l'utilisateur peut voir » soit une clause WHERE de la requête de recherche. Les
colonnes de recherche propres à chaque base sont posées par la migration : table FTS5
`core_recherche_fts` (SQLite) ou colonne `vecteur` tsvector générée (PostgreSQL).
"""

from django.db import models


class EntreeRecherche(models.Model):
    sorte = models.CharField(max_length=40)
    modele = models.CharField("modèle", max_length=100)
    objet_id = models.PositiveBigIntegerField()
    titre = models.CharField(max_length=500)
    texte = models.TextField(blank=True)
    racines = models.TextField(blank=True, help_text="Titre et texte réduits à leurs racines.")
    url = models.CharField(max_length=500)
    contrat_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    departement_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True)
    institution_id = models.BigIntegerField(
        null=True, blank=True, help_text="Seule institution qui voit l'objet (relevé non partagé)."
    )
    espace_id = models.BigIntegerField(null=True, blank=True, help_text="Espace partagé.")
    rubrique_id = models.BigIntegerField(
        null=True, blank=True, help_text="Rubrique d'une ressource de l'espace partagé."
    )
    objectifs = models.CharField(max_length=500, blank=True, help_text="« |3|7| »")
    date = models.DateField(null=True, blank=True)
    mis_a_jour = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "core"
        verbose_name = "entrée de l'index de recherche"
        constraints = [
            models.UniqueConstraint(fields=["modele", "objet_id"], name="recherche_objet_unique")
        ]
        # Index couvrant de la recherche (`classement.py`) : les candidats d'une sorte, du
        # plus récent au plus ancien, et tout ce que demandent visibilité et filtres, sans
        # lire les lignes (leur texte est long).
        indexes = [
            models.Index(
                fields=[
                    "sorte",
                    "date",
                    "id",
                    "contrat_id",
                    "espace_id",
                    "institution_id",
                    "rubrique_id",
                    "objectifs",
                ],
                name="recherche_portee",
            )
        ]

    def __str__(self):
        return f"{self.sorte} : {self.titre}"
