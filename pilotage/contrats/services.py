"""Écritures sur les contrats et les fiches actions.

Toutes les modifications d'une fiche passent par `fiche_create` ou
`fiche_update` : elles valident, appliquent le verrou optimiste, mettent à jour
les listes liées (acteurs, financements, jalons, indicateurs, points de
vigilance) en conservant les lignes existantes par identifiant, et enregistrent
dans l'historique chaque rubrique modifiée avec son ancienne et sa nouvelle valeur.
"""

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from pilotage.core import recherche
from pilotage.core.free_text import normalise_text, text_length_check
from pilotage.core.models import Revision
from pilotage.core.services import (
    diff_snapshots,
    personal_data_confirmations_record,
    revision_record,
    version_bump,
)
from pilotage.referentiel.models import Generation, Objectif
from pilotage.territoires.models import Departement

from . import permissions, retraits
from .models import (
    Acteur,
    Contrat,
    FicheAction,
    Financement,
    Habilitation,
    Indicateur,
    Jalon,
    PointVigilance,
    Signataire,
    VersionSignee,
    today,
)

#: Rubriques simples de la fiche, dans l'ordre du modèle officiel.
FICHE_FIELDS = [
    "numero",
    "numero_texte",
    "titre",
    "entete_objectifs",
    "departement_libelle",
    "referent",
    "constat",
    "objectif_operationnel",
    "description",
    "moyens_texte",
    "calendrier_texte",
    "date_mise_en_place",
    "duree",
    "etat",
    "motif_abandon",
    "fiche_beneficiaire",
    "a_impact",
]

#: Rubriques rédigées de la fiche, bornées comme les textes libres (`core/free_text.py`) :
#: par le formulaire et, pour tout appelant (import, décision de réunion), par `_validate`.
FICHE_TEXTS = (
    "constat",
    "objectif_operationnel",
    "description",
    "calendrier_texte",
    "moyens_texte",
    "motif_abandon",
)

#: Listes liées : nom de la relation → (modèle, champs saisissables, libellé).
FICHE_LISTS: dict[str, tuple[type[models.Model], list[str], str]] = {
    "acteurs": (Acteur, ["nom", "implication"], "Acteurs à mobiliser"),
    "financements": (
        Financement,
        ["financeur", "libelle", "montant", "annee", "valorisation", "note"],
        "Moyens financiers prévisionnels",
    ),
    "jalons": (
        Jalon,
        ["libelle", "periode", "date_prevue", "date_realisation"],
        "Calendrier prévisionnel",
    ),
    "indicateurs": (
        Indicateur,
        [
            "nature",
            "libelle",
            "indicateur_national",
            "unite",
            "unite_autre",
            "sens",
            "valeur_reference",
            "annee_reference",
            "cible",
            "valeur_texte",
        ],
        "Indicateurs",
    ),
    "points_vigilance": (PointVigilance, ["libelle"], "Points de vigilance"),
}


def financement_row(item: dict) -> dict:
    """Ligne de financement pour `fiche_create`/`fiche_update`, d'après un financement lu
    (document importé, données de démonstration) : montant en décimal, valorisation en booléen,
    libellé, année et note facultatifs."""
    return {
        "financeur": item["financeur"],
        "libelle": item.get("libelle", ""),
        "montant": Decimal(str(item["montant"])) if item.get("montant") is not None else None,
        "annee": item.get("annee"),
        "valorisation": bool(item.get("valorisation")),
        "note": item.get("note", ""),
    }


def _display(fiche: FicheAction, field: str) -> str:
    value = getattr(fiche, field)
    model_field = FicheAction._meta.get_field(field)
    if model_field.choices:
        return getattr(fiche, f"get_{field}_display")()
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if value is None:
        return ""
    return str(value)


def fiche_snapshot(fiche: FicheAction) -> dict[str, tuple[str, str]]:
    """Instantané lisible de la fiche : {rubrique: (libellé, valeur en texte)}."""
    snapshot = {}
    for field in FICHE_FIELDS:
        label = str(FicheAction._meta.get_field(field).verbose_name)
        snapshot[field] = (label[:1].upper() + label[1:], _display(fiche, field))
    snapshot["objectifs"] = (
        "Objectifs",
        ", ".join(
            f"n°{o.numero}" if o.numero is not None else o.libelle_court
            for o in sorted(fiche.objectifs.all(), key=lambda o: o.sort_key)
        ),
    )
    snapshot["referents"] = (
        "Référents dans l'application",
        ", ".join(sorted(str(u) for u in fiche.referents.all())),
    )
    for relation, (_model, _fields, label) in FICHE_LISTS.items():
        rows = getattr(fiche, relation).all()
        snapshot[relation] = (label, "\n".join(row.as_text() for row in rows))
    return snapshot


def _texts_check(fiche: FicheAction) -> None:
    """ValidationError (par rubrique) si une rubrique rédigée dépasse son plafond : un
    texte démesuré n'atteint ni la base, ni le garde-fou, ni les PDF."""
    errors = {}
    for name in FICHE_TEXTS:
        try:
            text_length_check(getattr(fiche, name) or "", "fiche")
        except ValidationError as exc:
            errors[name] = exc
    if errors:
        raise ValidationError(errors)


def _validate(fiche: FicheAction) -> None:
    for name in FICHE_TEXTS:  # la forme enregistrée, d'où que vienne le texte
        setattr(fiche, name, normalise_text(getattr(fiche, name) or ""))
    _texts_check(fiche)
    fiche.full_clean(exclude=["contrat", "objectifs", "referents"], validate_unique=False)
    clash = FicheAction.objects.filter(contrat=fiche.contrat, numero=fiche.numero)
    if fiche.pk:
        clash = clash.exclude(pk=fiche.pk)
    if clash.exists():
        raise ValidationError({"numero": f"Le contrat a déjà une fiche n°{fiche.numero}."})


def _sync_list(fiche: FicheAction, relation: str, rows: Sequence[dict[str, Any]]) -> None:
    """Met la liste liée en conformité avec `rows` : met à jour par id, crée, supprime.

    Une ligne absente de `rows` qui porte un suivi (`retraits.suivis`) n'est pas
    supprimée : elle est marquée retirée du jour (une ligne peut aussi l'être par sa
    rubrique `retire_le`). Son suivi reste, et l'historique dit le retrait."""
    model, fields, _label = FICHE_LISTS[relation]
    if relation in retraits.RETIRABLES:
        fields = [*fields, "retire_le"]
    existing = {obj.pk: obj for obj in getattr(fiche, relation).all()}
    kept = set()
    for position, row in enumerate(rows):
        pk = row.get("id")
        obj = existing.get(pk) if pk else None
        if obj is None:
            obj = model(fiche=fiche)
        for field in fields:
            if field in row:
                value = row[field]
                setattr(obj, field, normalise_text(value) if isinstance(value, str) else value)
        obj.ordre = position
        obj.full_clean(exclude=["fiche"])
        obj.save()
        kept.add(obj.pk)
    stale = [pk for pk in existing if pk not in kept]
    followed = retraits.suivis(model, stale) if stale else {}
    for pk in followed:
        if relation not in retraits.RETIRABLES:
            raise ValidationError(
                {
                    relation: f"« {existing[pk]} » porte un suivi ({followed[pk]}) : "
                    "il ne peut pas être supprimé."
                }
            )
        if existing[pk].retire_le is None:
            existing[pk].retire_le = today()
            existing[pk].save(update_fields=["retire_le"])
    stale = [pk for pk in stale if pk not in followed]
    if stale:
        recherche.unindex_many(model, stale)  # un indicateur supprimé n'est plus trouvé
        model.objects.filter(pk__in=stale).delete()


def _apply(
    fiche: FicheAction,
    *,
    objectifs: Iterable[Objectif] | None,
    referents: Iterable | None,
    lists: dict[str, Sequence[dict[str, Any]] | None],
) -> None:
    if objectifs is not None:
        fiche.objectifs.set(objectifs)
    if referents is not None:
        fiche.referents.set(referents)
    for relation, rows in lists.items():
        if rows is not None:
            _sync_list(fiche, relation, rows)


def _prefetched(fiche: FicheAction) -> FicheAction:
    return FicheAction.objects.prefetch_related("objectifs", "referents", *FICHE_LISTS.keys()).get(
        pk=fiche.pk
    )


@transaction.atomic
def fiche_create(
    *,
    contrat: Contrat,
    user,
    fields: dict[str, Any],
    objectifs: Iterable[Objectif] = (),
    referents: Iterable = (),
    source: str = Revision.Source.CREATION,
    comment: str = "",
    confirmations: dict | None = None,
    **lists: Sequence[dict[str, Any]],
) -> FicheAction:
    """Crée une fiche action et ses listes, et inscrit la création dans l'historique (et les
    confirmations de données personnelles de l'auteur, `confirmations`)."""
    unknown = set(lists) - set(FICHE_LISTS)
    if unknown:
        raise TypeError(f"Listes inconnues : {', '.join(sorted(unknown))}")
    fiche = FicheAction(contrat=contrat, **fields)
    _validate(fiche)
    fiche.save()
    _apply(fiche, objectifs=objectifs, referents=referents, lists=lists)
    fiche = _prefetched(fiche)
    changes = diff_snapshots({}, fiche_snapshot(fiche))
    revision_record(
        instance=fiche,
        user=user,
        changes=changes,
        source=source,
        version=fiche.version,
        comment=comment,
    )
    personal_data_confirmations_record(user=user, target=fiche, confirmations=confirmations)
    recherche.index_object(fiche)
    return fiche


@transaction.atomic
def fiche_update(
    *,
    fiche: FicheAction,
    user,
    expected_version: int,
    fields: dict[str, Any] | None = None,
    objectifs: Iterable[Objectif] | None = None,
    referents: Iterable | None = None,
    source: str = Revision.Source.SAISIE,
    comment: str = "",
    confirmations: dict | None = None,
    **lists: Sequence[dict[str, Any]] | None,
) -> FicheAction:
    """Modifie une fiche si personne ne l'a changée depuis `expected_version`.

    Lève `ConflitDeVersion` sinon, et `ValidationError` si les données sont
    invalides : dans les deux cas rien n'est enregistré.
    """
    unknown = set(lists) - set(FICHE_LISTS)
    if unknown:
        raise TypeError(f"Listes inconnues : {', '.join(sorted(unknown))}")
    # Verrouille d'abord la version : un enregistrement concurrent attend ou échoue.
    version_bump(instance=fiche, expected_version=expected_version)
    current = _prefetched(fiche)
    before = fiche_snapshot(current)
    for name, value in (fields or {}).items():
        if name not in FICHE_FIELDS:
            raise TypeError(f"Rubrique inconnue : {name}")
        setattr(current, name, value)
    _validate(current)
    current.save()
    _apply(current, objectifs=objectifs, referents=referents, lists=lists)
    current = _prefetched(current)
    changes = diff_snapshots(before, fiche_snapshot(current))
    if changes:
        revision_record(
            instance=current,
            user=user,
            changes=changes,
            source=source,
            version=current.version,
            comment=comment,
        )
    else:
        # Rien n'a changé : la version reste la même, pour ne pas mettre en conflit
        # les autres personnes qui ont la fiche ouverte.
        FicheAction.objects.filter(pk=current.pk).update(version=expected_version)
        current.version = expected_version
    personal_data_confirmations_record(user=user, target=current, confirmations=confirmations)
    recherche.index_object(current)
    return current


@transaction.atomic
def indicateur_add(
    *, fiche: FicheAction, user, nature: str, libelle: str, comment: str = ""
) -> Indicateur:
    """Ajoute un indicateur à la fiche par `fiche_update` (inscrit dans son historique,
    sous le verrou de version) et le renvoie. Les indicateurs existants sont conservés."""
    current = _prefetched(fiche)
    rows: list[dict[str, Any]] = [{"id": obj.pk} for obj in current.indicateurs.all()]
    rows.append({"nature": nature, "libelle": libelle})
    known = {row["id"] for row in rows[:-1]}
    fiche_update(
        fiche=current,
        user=user,
        expected_version=current.version,
        comment=comment,
        indicateurs=rows,
    )
    return Indicateur.objects.filter(fiche=fiche).exclude(pk__in=known).get()


@transaction.atomic
def contrat_create(
    *,
    departement: Departement,
    generation: Generation,
    statut: str = Contrat.Statut.BROUILLON,
    date_signature=None,
    annee_premiere_contractualisation: int | None = None,
    signataires: Sequence[dict[str, Any]] = (),
    donnees_fictives: bool = False,
) -> Contrat:
    """Crée un contrat et ses signataires (`donnees_fictives` : contrat inventé, signalé
    comme tel sur ses pages)."""
    contrat = Contrat(
        departement=departement,
        generation=generation,
        statut=statut,
        date_signature=date_signature,
        annee_premiere_contractualisation=annee_premiere_contractualisation,
        donnees_fictives=donnees_fictives,
    )
    contrat.full_clean()
    contrat.save()
    for position, row in enumerate(signataires):
        Signataire.objects.create(contrat=contrat, ordre=position, **row)
    return contrat


@transaction.atomic
def contrat_sign(*, contrat: Contrat, date_signature) -> Contrat:
    """Marque le contrat signé et fige la version signée (référence des évolutions)."""
    from .export import contrat_export

    contrat.statut = Contrat.Statut.SIGNE
    contrat.date_signature = date_signature
    contrat.save(update_fields=["statut", "date_signature", "updated_at"])
    contrat.copie_signee, _ = VersionSignee.objects.update_or_create(
        contrat=contrat, defaults={"contenu": contrat_export(contrat)}
    )
    return contrat


@transaction.atomic
def habilitation_grant(*, user, contrat: Contrat, role: str) -> Habilitation:
    """Donne un rôle à un utilisateur sur un contrat (sans doublon)."""
    habilitation, _ = Habilitation.objects.get_or_create(user=user, contrat=contrat, role=role)
    return habilitation


@transaction.atomic
def ligne_remettre_en_service(
    *, fiche: FicheAction, user, relation: str, ligne_id: int
) -> models.Model:
    """Remet en service une ligne retirée de la fiche (acteur, étape, indicateur) : elle
    reçoit de nouveau des saisies et figure dans les choix des réunions.

    Réservé à qui peut modifier la fiche (`PermissionDenied`). Passe par `fiche_update`
    (verrou de version, même instantané) : l'historique de la fiche dit la remise en
    service, le « [retiré le …] » de la ligne disparaît. `ValidationError` si la ligne
    n'est pas de la fiche ou n'est pas retirée ; rien n'est alors écrit."""
    if not permissions.can_edit_fiche(user, fiche):
        raise PermissionDenied("Vous ne pouvez pas modifier cette fiche.")
    model = retraits.RETIRABLES.get(relation)
    if model is None:
        raise ValidationError("Cette liste de la fiche n'a pas de lignes retirées.")
    current = _prefetched(fiche)
    lines = list(getattr(current, relation).all())
    ligne = next((obj for obj in lines if obj.pk == ligne_id), None)
    if ligne is None:
        raise ValidationError("Cette ligne n'appartient pas à la fiche.")
    if ligne.retire_le is None:
        raise ValidationError(f"« {ligne} » est déjà en service.")
    rows: list[dict[str, Any]] = [{"id": obj.pk} for obj in lines]
    rows[lines.index(ligne)]["retire_le"] = None
    nature = retraits.LIBELLES[relation]
    fiche_update(
        fiche=current,
        user=user,
        expected_version=current.version,
        comment=f"Remise en service ({nature}) : « {ligne} »",
        **{relation: rows},
    )
    return model.objects.get(pk=ligne.pk)
