"""Déroulé de la réunion et circuit de validation du compte rendu."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from pilotage.contrats import permissions
from pilotage.core.services import personal_data_confirmations_record

from ..documents import compte_rendu_content, compte_rendu_docx, compte_rendu_pdf, filename
from ..models import (
    Reunion,
    ValidationCompteRendu,
)
from ..selectors import institutions_validatrices
from .planning import _check_editable, _check_pilote

# --- Déroulé et compte rendu ---------------------------------------------------------


@transaction.atomic
def reunion_tenir(*, reunion: Reunion, user) -> Reunion:
    """Marque la réunion comme tenue : le compte rendu peut être préparé."""
    _check_pilote(user, reunion.contrat)
    _check_editable(reunion)
    if reunion.statut == Reunion.Statut.PLANIFIEE and not reunion.est_passee:
        # Sinon une demande forgée ferait soumettre le compte rendu d'une réunion future.
        raise ValidationError(
            "La réunion n'a pas encore eu lieu : elle ne peut pas être marquée comme tenue."
        )
    if reunion.statut == Reunion.Statut.PLANIFIEE:
        reunion.statut = Reunion.Statut.TENUE
        reunion.save(update_fields=["statut"])
    return reunion


@transaction.atomic
def compte_rendu_submit(*, reunion: Reunion, user) -> Reunion:
    """Soumet le compte rendu à la validation des pilotes des institutions."""
    _check_pilote(user, reunion.contrat)
    _check_editable(reunion)
    if reunion.statut == Reunion.Statut.EN_VALIDATION:
        raise ValidationError("Le compte rendu est déjà en cours de validation.")
    if reunion.statut == Reunion.Statut.ANNULEE:
        raise ValidationError("Cette réunion a été annulée : elle n'a pas de compte rendu.")
    # Une réunion planifiée dont la date est passée a eu lieu : on la tient pour tenue.
    if reunion.statut == Reunion.Statut.PLANIFIEE and not reunion.est_passee:
        raise ValidationError(
            "La réunion n'a pas encore eu lieu : son compte rendu ne peut pas être soumis."
        )
    reunion.statut = Reunion.Statut.EN_VALIDATION
    reunion.save(update_fields=["statut"])
    reunion.validations.all().delete()  # un nouveau tour de validation repart de zéro
    return reunion


@transaction.atomic
def compte_rendu_validate(
    *, reunion: Reunion, user, avis: str, commentaire: str = "", confirmations: dict | None = None
) -> ValidationCompteRendu:
    """Avis d'un pilote pour son institution ; le compte rendu est figé quand toutes
    les institutions pilotes l'ont validé. Une remarque renvoie la réunion en préparation."""
    reunion = Reunion.objects.select_for_update().get(pk=reunion.pk)
    if reunion.statut != Reunion.Statut.EN_VALIDATION:
        raise ValidationError("Le compte rendu n'est pas en cours de validation.")
    if not permissions.is_pilote(user, reunion.contrat) or not user.institution_id:
        raise PermissionDenied("Seuls les pilotes du contrat valident le compte rendu.")
    if avis == ValidationCompteRendu.Avis.REMARQUES and not commentaire.strip():
        raise ValidationError({"commentaire": "Précisez les remarques à intégrer."})
    if avis not in ValidationCompteRendu.Avis.values:
        raise ValidationError("Avis inconnu.")
    reunion.validations.filter(institution_id=user.institution_id).delete()
    validation = ValidationCompteRendu.objects.create(
        reunion=reunion,
        institution_id=user.institution_id,
        user=user,
        avis=avis,
        commentaire=commentaire.strip(),
    )
    personal_data_confirmations_record(user=user, target=validation, confirmations=confirmations)
    if avis == ValidationCompteRendu.Avis.REMARQUES:
        reunion.statut = Reunion.Statut.TENUE
        reunion.save(update_fields=["statut"])
        return validation
    expected = set(institutions_validatrices(reunion).values_list("pk", flat=True))
    done = set(
        reunion.validations.filter(avis=ValidationCompteRendu.Avis.VALIDE).values_list(
            "institution_id", flat=True
        )
    )
    if expected <= done:
        reunion.statut = Reunion.Statut.FIGEE
        reunion.fige_le = timezone.now()
        reunion.save(update_fields=["statut", "fige_le"])
        compte_rendu_archive(reunion=reunion)
    return validation


@transaction.atomic
def compte_rendu_archive(*, reunion: Reunion) -> Reunion:
    """Enregistre le PDF et le Word du compte rendu figé : l'exemplaire validé, servi
    ensuite tel quel au téléchargement."""
    if not reunion.est_figee:
        raise ValidationError("Seul un compte rendu validé est archivé.")
    content = compte_rendu_content(reunion, viewer=None)
    for field, build, fmt in (
        (reunion.compte_rendu_pdf, compte_rendu_pdf, "pdf"),
        (reunion.compte_rendu_docx, compte_rendu_docx, "docx"),
    ):
        field.save(filename("compte-rendu", reunion, fmt), ContentFile(build(content)), save=False)
    reunion.save(update_fields=["compte_rendu_pdf", "compte_rendu_docx"])
    return reunion
