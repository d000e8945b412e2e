"""« Reprendre la proposition » : une section rédigée retrouve le texte proposé à partir
des données (relevés validés ou partagés, notes de séance, décisions de l'année), calculé
à nouveau, marqué « proposé » jusqu'à sa relecture. Le texte remplacé reste dans
l'historique du rapport, comme toute modification."""

from django.core.exceptions import ValidationError
from django.db import transaction

from pilotage.contrats.models import FicheAction
from pilotage.core import recherche
from pilotage.core.free_text import TEXT_LIMITS
from pilotage.core.services import Change

from ..content.propositions import propositions_annee
from ..models import RapportExecution, SectionRapport

Rubrique = SectionRapport.Rubrique
AUCUNE = (
    "Aucune proposition ne se calcule pour cette section : les données de l'année n'en donnent pas."
)


@transaction.atomic
def section_reprendre_proposition(
    *, rapport: RapportExecution, user, rubrique: str, fiche: FicheAction
) -> SectionRapport:
    """Remplace le texte d'un bilan ou de perspectives par la proposition calculée."""
    from . import TEXT_KIND, _borne, _locked_for_writing, _validations_cancel

    rapport = _locked_for_writing(rapport, user)
    if rubrique not in (Rubrique.BILAN, Rubrique.PERSPECTIVES):
        raise ValidationError("Seuls le bilan et les perspectives d'une fiche sont proposés.")
    if fiche.contrat_id != rapport.contrat_id:
        raise ValidationError("Cette fiche n'appartient pas au contrat du rapport.")
    lignes, sources = _proposition(rapport, user, rubrique, fiche)
    texte = _borne(lignes, TEXT_LIMITS[TEXT_KIND[rubrique]])
    section, _created = SectionRapport.objects.select_for_update().get_or_create(
        rapport=rapport, rubrique=rubrique, fiche=fiche
    )
    section.fiche = fiche
    changes = (
        [Change(section.cle, section.libelle, section.texte, texte)]
        if texte != section.texte
        else []
    )
    if not section.prerempli:
        changes.append(
            Change(
                f"{section.cle}:relu",
                f"{section.libelle} (proposition)",
                "Relue par un pilote",
                "Proposition reprise, à relire",
            )
        )
    section.texte = texte
    section.prerempli = True
    section.sources = [{"libelle": s.libelle, "url": s.url} for s in sources]
    section.version += 1
    section.updated_by = user
    section.save()
    if changes:
        _validations_cancel(
            rapport, user, changes, comment=f"{section.libelle} : proposition reprise"
        )
    recherche.index_object(rapport)  # le texte repris remplace l'ancien dans la recherche
    return section


def _proposition(rapport: RapportExecution, user, rubrique: str, fiche: FicheAction):
    """Les lignes proposées pour la rubrique de la fiche et leurs sources ; refusé
    (`AUCUNE`) quand les données de l'année n'en donnent pas."""
    proposition = propositions_annee(rapport.contrat, rapport.annee, user=user).get(fiche.pk)
    lignes, sources = [], []
    if proposition is not None:
        rubrique_ = "bilan" if rubrique == Rubrique.BILAN else "perspectives"
        lignes = getattr(proposition, rubrique_)
        sources = getattr(proposition, f"sources_{rubrique_}")
    if not lignes:
        raise ValidationError(AUCUNE)
    return lignes, sources
