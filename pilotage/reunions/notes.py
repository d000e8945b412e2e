"""Notes de séance : ce que chaque personne écrit dans un encart d'une fiche.

Module à part de `reunions.models` (qui le réexporte) ; la relation au point de l'ordre du
jour est nommée par chaîne, comme pour les jetons des flux d'agenda.
"""

from django.conf import settings
from django.db import models


class NoteSeance(models.Model):
    """Ce qu'une personne a noté dans un encart d'une fiche en séance.

    Une note par personne, par fiche et par encart : chacun écrit dans la sienne,
    les autres s'affichent à côté ; deux secrétaires ne s'écrasent donc jamais.

    `texte` est ce que l'auteur a écrit ; `texte_partage`, ce que les autres participants
    et le compte rendu en voient : le même texte, sauf tant qu'il contient des passages
    qui ressemblent à des données personnelles et que l'auteur ne l'a pas confirmé.
    """

    class Encart(models.TextChoices):
        POSITIFS = "positifs", "Éléments positifs observables"
        AMELIORATIONS = "ameliorations", "Axes d'amélioration identifiés"

    point = models.ForeignKey(
        "reunions.PointOrdreDuJour", on_delete=models.CASCADE, related_name="notes"
    )
    encart = models.CharField(max_length=20, choices=Encart.choices)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes_seance"
    )
    texte = models.TextField(blank=True)
    texte_partage = models.TextField("texte partagé", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "note de séance"
        ordering = ["point", "encart", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "encart", "auteur"], name="note_unique_par_auteur"
            )
        ]

    def __str__(self):
        return f"{self.get_encart_display()} – {self.auteur}"

    @property
    def en_attente(self) -> bool:
        """Vrai si l'auteur a écrit plus que ce que les autres voient (passages à vérifier)."""
        return self.texte != self.texte_partage
