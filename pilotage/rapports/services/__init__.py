"""Écritures du rapport d'exécution : préparation, rédaction, circuit, arrêté, correction,
et demandes de fichiers produits en tâche de fond (`tasks.fichier_produire`).

Chaque service vérifie le droit par `RapportExecution.actions_possibles` (la seule
règle) et refuse le reste avec un message en clair ; chaque étape est inscrite à
l'historique du rapport (`core.Revision`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.core import recherche
from pilotage.core.free_text import (
    TEXT_LIMITS,
    normalise_text,
    text_length_check,
    without_control_characters,
)
from pilotage.core.models import Revision
from pilotage.core.services import (
    Change,
    personal_data_confirmations_record,
    revision_record,
    version_bump,
)

from .. import selectors
from ..content.propositions import propositions_annee
from ..models import (
    CommentaireSection,
    RapportExecution,
    SectionRapport,
    SourceFinancement,
    ValidationRapport,
    VersionArretee,
    partie_de,
)
from .fichiers import FORMATS_FICHIERS as FORMATS_FICHIERS
from .fichiers import _fichiers_de_la_version
from .fichiers import generation_demander as generation_demander

Statut = RapportExecution.Statut
Rubrique = SectionRapport.Rubrique

#: Sorte de texte libre (plafond `core.free_text.TEXT_LIMITS`) de chaque rubrique.
TEXT_KIND = {Rubrique.BILAN: "fiche", Rubrique.PERSPECTIVES: "fiche"}
TEXT_KIND_DEFAULT = "commentaire"
REDACTION_REFUSEE = (
    "Seuls les pilotes du Conseil départemental rédigent le rapport, tant qu'il n'est "
    "ni validé ni arrêté."
)


def _clean_text(texte: str, kind: str) -> str:
    texte = normalise_text(without_control_characters(texte or ""))
    try:
        text_length_check(texte, kind)
    except ValidationError as exc:
        raise ValidationError({"texte": exc.messages}) from exc
    return texte


def _require(rapport: RapportExecution, user, action: str, message: str) -> None:
    if action not in rapport.actions_possibles(user):
        raise PermissionDenied(message)


def _locked(rapport: RapportExecution) -> RapportExecution:
    """Le rapport relu sous verrou : deux étapes concurrentes ne se croisent pas."""
    locked = RapportExecution.objects.select_for_update().get(pk=rapport.pk)
    locked.contrat = rapport.contrat
    return locked


def _locked_for(
    rapport: RapportExecution,
    user,
    action: str,
    message: str,
    *,
    statut: str | None = None,
    wrong_statut: str = "",
) -> RapportExecution:
    """Le rapport relu sous verrou, refusé (`wrong_statut`) s'il n'est pas à l'étape
    `statut`, puis si `user` ne peut pas y faire `action` (`message`)."""
    rapport = _locked(rapport)
    if statut is not None and rapport.statut != statut:
        raise ValidationError(wrong_statut)
    _require(rapport, user, action, message)
    return rapport


def _locked_for_writing(rapport: RapportExecution, user) -> RapportExecution:
    """Le rapport relu sous verrou, pour un pilote qui peut encore le rédiger."""
    return _locked_for(rapport, user, "rediger", REDACTION_REFUSEE)


def _statut_set(rapport, user, statut: str, comment: str, **fields) -> None:
    """Passe le rapport à `statut` (avec les autres champs `fields`) et inscrit le
    changement de statut à son historique."""
    old = rapport.statut
    rapport.statut = statut
    for name, value in fields.items():
        setattr(rapport, name, value)
    rapport.save(update_fields=["statut", *fields])
    labels = dict(Statut.choices)
    revision_record(
        instance=rapport,
        user=user,
        changes=[Change("statut", "Statut", labels.get(old, old), rapport.get_statut_display())],
        version=rapport.version,
        comment=comment,
    )


def _validations_cancel(rapport: RapportExecution, user, changes, comment: str = "") -> None:
    """Un contenu changé pendant la relecture annule les validations de la version
    courante (on valide ce qu'on a lu) ; les changements vont à l'historique."""
    rapport.validations.filter(version=rapport.version).delete()
    revision_record(
        instance=rapport, user=user, changes=changes, version=rapport.version, comment=comment
    )


@transaction.atomic
def rapport_create(*, contrat: Contrat, annee: int, user) -> RapportExecution:
    """Prépare le rapport d'une année du contrat (brouillon, version 1)."""
    if not RapportExecution.peut_preparer(user, contrat):
        raise PermissionDenied(
            "Seuls les pilotes du Conseil départemental préparent le rapport d'exécution."
        )
    if annee not in selectors.annees_possibles(contrat):
        raise ValidationError(
            {"annee": "Choisissez une année du contrat, passée ou en cours, sans rapport."}
        )
    rapport = RapportExecution.objects.create(contrat=contrat, annee=annee, created_by=user)
    nb = _sections_proposees(rapport, user)
    proposees = (
        f", {nb} section{'s' if nb > 1 else ''} proposée{'s' if nb > 1 else ''} à partir des données"
        if nb
        else ""
    )
    revision_record(
        instance=rapport,
        user=user,
        changes=[Change("statut", "Statut", "", rapport.get_statut_display())],
        source=Revision.Source.CREATION,
        version=1,
        comment=f"Rapport {annee} préparé{proposees}",
    )
    recherche.index_object(rapport)
    return rapport


def _borne(lignes: list[str], limite: int) -> str:
    """Les lignes « - … » proposées, sans dépasser le plafond du texte de la rubrique."""
    texte = ""
    for ligne in lignes:
        suivant = f"{texte}\n- {ligne}" if texte else f"- {ligne}"
        if len(suivant) > limite:
            break
        texte = suivant
    return texte


def _sections_proposees(rapport: RapportExecution, user) -> int:
    """Bilan d'exécution et perspectives de chaque fiche proposés à partir des relevés
    validés, des notes de séance et des décisions de l'année (`content.propositions`),
    marqués « proposés » jusqu'à ce qu'un pilote les enregistre."""
    propositions = propositions_annee(rapport.contrat, rapport.annee, user=user)
    limite = TEXT_LIMITS[TEXT_KIND[Rubrique.BILAN]]
    sections = []
    for fiche_id, proposition in propositions.items():
        for rubrique, lignes, sources in (
            (Rubrique.BILAN, proposition.bilan, proposition.sources_bilan),
            (Rubrique.PERSPECTIVES, proposition.perspectives, proposition.sources_perspectives),
        ):
            if lignes:
                sections.append(
                    SectionRapport(
                        rapport=rapport,
                        rubrique=rubrique,
                        fiche_id=fiche_id,
                        texte=_borne(lignes, limite),
                        prerempli=True,
                        sources=[{"libelle": s.libelle, "url": s.url} for s in sources],
                        updated_by=user,
                    )
                )
    SectionRapport.objects.bulk_create(sections)
    return len(sections)


def _section_for(rapport, rubrique: str, fiche: FicheAction | None, source: str):
    if rubrique == Rubrique.ACTION_PERTINENTE:
        if source not in SourceFinancement.values:
            raise ValidationError("Source de financement inconnue.")
        return SectionRapport.objects.get_or_create(
            rapport=rapport, rubrique=rubrique, source=source
        )[0]
    if rubrique not in selectors.RUBRIQUES_FICHE:
        raise ValidationError("Rubrique du rapport inconnue.")
    if fiche is None or fiche.contrat_id != rapport.contrat_id:
        raise ValidationError("Cette fiche n'appartient pas au contrat du rapport.")
    section, _created = SectionRapport.objects.get_or_create(
        rapport=rapport, rubrique=rubrique, fiche=fiche
    )
    section.fiche = fiche
    return section


@transaction.atomic
def section_save(
    *,
    rapport: RapportExecution,
    user,
    rubrique: str,
    texte: str,
    fiche: FicheAction | None = None,
    source: str = "",
    fiche_choisie: FicheAction | None = None,
    expected_version: int | None = None,
    confirmations: dict | None = None,
) -> SectionRapport:
    """Enregistre le texte d'une section (et, pour l'action la plus pertinente d'une
    source, la fiche choisie). Pendant la relecture (soumis), un texte modifié annule
    les validations déjà données : on valide ce qu'on a lu."""
    rapport = _locked_for_writing(rapport, user)
    section = _section_for(rapport, rubrique, fiche, source)
    texte = _clean_text(texte, TEXT_KIND.get(rubrique, TEXT_KIND_DEFAULT))
    if fiche_choisie is not None and fiche_choisie.contrat_id != rapport.contrat_id:
        raise ValidationError({"fiche": "Choisissez une fiche de ce contrat."})
    changes = _section_changes(section, texte, fiche_choisie)
    if not changes:
        return section
    if expected_version is not None:
        version_bump(instance=section, expected_version=expected_version)
    else:
        section.version += 1
    section.texte = texte
    section.prerempli = False
    section.updated_by = user
    section.save(
        update_fields=["texte", "fiche", "prerempli", "version", "updated_by", "updated_at"]
    )
    _validations_cancel(rapport, user, changes)
    personal_data_confirmations_record(user=user, target=section, confirmations=confirmations)
    recherche.index_object(rapport)
    return section


def _section_changes(
    section: SectionRapport, texte: str, fiche_choisie: FicheAction | None
) -> list[Change]:
    """Ce que l'enregistrement change à la section : son texte, la fiche choisie (pour
    l'action la plus pertinente, posée sur la section) et la proposition, désormais relue."""
    changes = []
    if texte != section.texte:
        changes.append(Change(section.cle, section.libelle, section.texte, texte))
    if section.rubrique == Rubrique.ACTION_PERTINENTE and section.fiche_id != getattr(
        fiche_choisie, "pk", None
    ):
        old = f"Fiche n°{section.fiche.numero_affiche}" if section.fiche_id else ""
        new = f"Fiche n°{fiche_choisie.numero_affiche}" if fiche_choisie else ""
        changes.append(Change(f"{section.cle}:fiche", f"{section.libelle} (fiche)", old, new))
        section.fiche = fiche_choisie
    if section.prerempli:
        changes.append(
            Change(
                f"{section.cle}:relu",
                f"{section.libelle} (proposition)",
                "Proposée à partir des données",
                "Relue par un pilote",
            )
        )
    return changes


@transaction.atomic
def rapport_submit(*, rapport: RapportExecution, user) -> RapportExecution:
    """Soumet le brouillon aux pilotes de l'État et de l'ARS."""
    rapport = _locked_for(
        rapport,
        user,
        "soumettre",
        "Seuls les pilotes du Conseil départemental soumettent le rapport.",
        statut=Statut.BROUILLON,
        wrong_statut="Seul un rapport en brouillon peut être soumis.",
    )
    _statut_set(
        rapport, user, Statut.SOUMIS, "Rapport soumis à l'État et à l'ARS", soumis_le=timezone.now()
    )
    recherche.index_object(rapport)  # daté de sa soumission
    return rapport


@transaction.atomic
def section_comment(
    *,
    rapport: RapportExecution,
    user,
    rubrique: str,
    fiche: FicheAction | None = None,
    source: str = "",
    texte: str,
    confirmations: dict | None = None,
) -> CommentaireSection:
    """Commentaire d'un pilote de l'État ou de l'ARS sur une section du rapport soumis
    (désignée par sa rubrique, et sa fiche ou sa source)."""
    rapport = _locked_for(
        rapport,
        user,
        "commenter",
        "Seuls les pilotes de l'État (préfecture, DDETS) et de l'ARS commentent le rapport soumis.",
        statut=Statut.SOUMIS,
        wrong_statut="Le rapport ne se commente que lorsqu'il est soumis.",
    )
    texte = _clean_text(texte, "commentaire")
    if not texte.strip():
        raise ValidationError({"texte": "Écrivez votre commentaire."})
    section = _section_for(rapport, rubrique, fiche, source)
    commentaire = CommentaireSection.objects.create(
        section=section,
        version=rapport.version,
        auteur=user,
        institution_id=user.institution_id,
        texte=texte,
    )
    personal_data_confirmations_record(user=user, target=commentaire, confirmations=confirmations)
    return commentaire


@transaction.atomic
def rapport_validate(*, rapport: RapportExecution, user) -> ValidationRapport:
    """Validation du rapport soumis par un pilote, pour sa partie ; quand les trois
    parties ont validé la version courante, le rapport est validé."""
    rapport = _locked(rapport)
    if rapport.statut != Statut.SOUMIS:
        raise ValidationError("Seul un rapport soumis peut être validé.")
    partie = partie_de(user, rapport.contrat)
    if partie is None:
        raise PermissionDenied(
            "Seul un pilote du Conseil départemental, de l'État (préfecture, DDETS) ou de "
            "l'ARS valide le rapport, au nom de son institution."
        )
    if partie in rapport.parties_validees():
        raise ValidationError("Votre institution a déjà validé cette version du rapport.")
    validation = ValidationRapport.objects.create(
        rapport=rapport,
        version=rapport.version,
        partie=partie,
        institution_id=user.institution_id,
        user=user,
    )
    label = validation.get_partie_display()
    revision_record(
        instance=rapport,
        user=user,
        changes=[Change(f"validation:{partie}", f"Validation – {label}", "", "Validé")],
        version=rapport.version,
        comment=f"Validé pour {label}",
    )
    if rapport.valide_par_toutes_les_parties():
        _statut_set(
            rapport,
            user,
            Statut.VALIDE,
            "Rapport validé par les trois parties",
            valide_le=timezone.now(),
        )
        recherche.index_object(rapport)  # daté de sa validation
    return validation


@transaction.atomic
def rapport_arreter(*, rapport: RapportExecution, user) -> VersionArretee:
    """Arrête le rapport validé : une version datée, au contenu figé, qui ne change plus."""
    rapport = _locked_for(
        rapport,
        user,
        "arreter",
        "Seul un pilote du Conseil départemental, de l'État ou de l'ARS arrête le rapport.",
        statut=Statut.VALIDE,
        wrong_statut="Seul un rapport validé par les trois parties peut être arrêté.",
    )
    now = timezone.now()
    version = VersionArretee.objects.create(
        rapport=rapport,
        numero=rapport.version,
        arrete_le=now,
        arrete_par=user,
        contenu=selectors.contenu_arrete(rapport, arrete_le=now),
    )
    _fichiers_de_la_version(version, user)
    _statut_set(rapport, user, Statut.ARRETE, f"Version {rapport.version} arrêtée")
    return version


@transaction.atomic
def rapport_corriger(*, rapport: RapportExecution, user) -> RapportExecution:
    """Rouvre le rapport arrêté pour une correction : nouvelle version, en brouillon,
    reprenant les textes de la version arrêtée (qui, elle, ne change pas)."""
    rapport = _locked_for(
        rapport,
        user,
        "corriger",
        "Seuls les pilotes du Conseil départemental corrigent le rapport arrêté.",
        statut=Statut.ARRETE,
        wrong_statut="Seul un rapport arrêté peut être corrigé.",
    )
    version = rapport.version + 1
    _statut_set(
        rapport,
        user,
        Statut.BROUILLON,
        f"Correction : version {version} en rédaction",
        version=version,
        soumis_le=None,
        valide_le=None,
    )
    recherche.index_object(rapport)  # titre « (version 2) », dates effacées
    return rapport


from .montants import montants_executes_save as montants_executes_save  # noqa: E402
from .propositions import (  # noqa: E402
    section_reprendre_proposition as section_reprendre_proposition,
)
