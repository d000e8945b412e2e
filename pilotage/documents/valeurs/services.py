"""Enregistrement des valeurs importées d'un tableur : tout ou rien.

Le service refait l'appariement (`appariement.apparier`) au lieu de croire l'aperçu : la
fiche, l'indicateur, le droit de saisir, l'année et le garde-fou des données personnelles
sont vérifiés au moment d'écrire. Chaque valeur passe par `suivi.services.valeur_create`
(jamais modifiée ensuite, plan de collecte avancé) ; une erreur annule tout l'import.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from pilotage.contrats.models import Contrat
from pilotage.suivi.services import valeur_create

from .appariement import apparier
from .lecture import LigneLue

SOURCE_PAR_DEFAUT = "Tableur importé"


@transaction.atomic
def valeurs_import(*, contrat: Contrat, user, lignes: list[LigneLue], filename: str = "") -> int:
    """Enregistre les valeurs nouvelles et les corrections ; rend leur nombre. Les lignes
    déjà enregistrées sont ignorées ; une ligne refusée pour un droit manquant refuse tout."""
    apercu = apparier(lignes, contrat=contrat, user=user)
    if any(a.interdite for a in apercu.lignes):
        raise PermissionDenied("Vous ne pouvez pas saisir de valeurs sur certaines de ces fiches.")
    if not apercu.a_importer:
        raise ValidationError("Aucune valeur nouvelle à enregistrer dans ce tableur.")
    source = f"{SOURCE_PAR_DEFAUT} ({filename})"[:200] if filename else SOURCE_PAR_DEFAUT
    for item in apercu.a_importer:
        lue = item.lue
        valeur_create(
            indicateur=item.indicateur,
            user=user,
            annee=lue.annee,
            semestre=lue.semestre,
            valeur=lue.valeur,
            numerateur=lue.numerateur,
            denominateur=lue.denominateur,
            source=lue.source or source,
            commentaire=lue.commentaire,
        )
    return len(apercu.a_importer)
