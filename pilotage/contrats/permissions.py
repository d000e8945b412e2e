"""Règles d'accès aux contrats et aux fiches.

- Voir un contrat : habilitation sur ce contrat (tout rôle), périmètre régional
  de la même région, ou périmètre national. Sinon la page répond 404.
- Modifier le contrat, créer une fiche : pilote du contrat.
- Modifier une fiche : pilote du contrat, ou référent de cette fiche
  (habilitation « référent de fiche » et désigné sur la fiche).
- Contributeur, validateur, lecteur, régional, national : lecture.
- Gérer les personnes et leurs droits (inviter, changer un rôle, retirer un accès) :
  pilote du contrat ou niveau national.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import F, Q
from django.shortcuts import get_object_or_404

from .models import Contrat, FicheAction, Habilitation


class _RolesDe(models.Func):
    """Les rôles d'une personne sur un contrat en une chaîne, séparés par des virgules : une
    colonne de la lecture du contrat ou de la fiche plutôt qu'une requête de plus.
    (SELECT GROUP_CONCAT(role, ',') FROM habilitation WHERE contrat = … AND user = …),
    STRING_AGG sous PostgreSQL ; écrite d'un bloc (colonnes tirées du modèle) : la même
    sous-requête par l'ORM (values, annotate, Subquery) coûtait plus à construire que la
    requête qu'elle évite."""

    output_field = models.CharField()

    def __init__(self, contrat_ref: str, user_pk: int):
        super().__init__(F(contrat_ref))
        self.user_pk = user_pk

    def as_sql(self, compiler, connection, **extra_context):
        contrat_sql, params = compiler.compile(self.get_source_expressions()[0])
        meta, quote = Habilitation._meta, connection.ops.quote_name
        # Alias propre à la sous-requête : la requête englobante peut joindre la même table.
        alias = quote("habilitation_roles")
        role, contrat, user = (
            f"{alias}.{quote(meta.get_field(f).column)}" for f in ("role", "contrat", "user")
        )
        concat = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
        sql = (
            f"(SELECT {concat}({role}, ',') FROM {quote(meta.db_table)} {alias}"
            f" WHERE {contrat} = {contrat_sql} AND {user} = %s)"
        )
        return sql, (*params, self.user_pk)


def _with_roles(queryset, user, contrat_ref: str):
    """`queryset` annoté de `_roles_user`, les rôles de `user` sur le contrat `contrat_ref`
    (chemin vers son identifiant), lus dans la même requête ; à poser par `_cache_roles`."""
    if not user.is_authenticated:
        return queryset
    return queryset.annotate(_roles_user=_RolesDe(contrat_ref, user.pk))


def _cache_roles(user, contrat: Contrat, roles: str | None) -> None:
    """Pose sur `contrat` les rôles de `user` lus par `_with_roles` (ce que `roles_on`
    demanderait sinon à la base)."""
    if user.is_authenticated:
        contrat._roles_cache = {user.pk: set(roles.split(",")) if roles else set()}


def roles_on(user, contrat: Contrat) -> set[str]:
    """Rôles de l'utilisateur sur le contrat (mis en cache sur l'objet contrat ; déjà posés
    si le contrat a été lu par `get_contrat_for` ou `get_fiche_for`)."""
    if not user.is_authenticated:
        return set()
    cache = getattr(contrat, "_roles_cache", None)
    if cache is None:
        cache = contrat._roles_cache = {}
    if user.pk not in cache:
        cache[user.pk] = set(
            Habilitation.objects.filter(user=user, contrat=contrat)
            .order_by()  # un ensemble : l'ordre des Meta joindrait contrat et département
            .values_list("role", flat=True)
        )
    return cache[user.pk]


def is_pilote(user, contrat: Contrat) -> bool:
    return user.is_superuser or Habilitation.Role.PILOTE in roles_on(user, contrat)


def can_edit_contrat(user, contrat: Contrat) -> bool:
    return is_pilote(user, contrat)


def can_create_fiche(user, contrat: Contrat) -> bool:
    return is_pilote(user, contrat)


def can_edit_fiche(user, fiche: FicheAction) -> bool:
    if is_pilote(user, fiche.contrat):
        return True
    if Habilitation.Role.REFERENT not in roles_on(user, fiche.contrat):
        return False
    return fiche.referents.filter(pk=user.pk).exists()


def get_contrat_for(user, pk) -> Contrat:
    """Le contrat s'il est visible par l'utilisateur, sinon 404 (on ne révèle pas qu'il
    existe) ; les rôles de l'utilisateur lus dans la même requête (`roles_on`)."""
    contrats = Contrat.objects.visibles_par(user).select_related("departement", "generation")
    contrat = get_object_or_404(_with_roles(contrats, user, "pk"), pk=pk)
    _cache_roles(user, contrat, getattr(contrat, "_roles_user", None))
    return contrat


def get_fiche_for(
    user, contrat_pk, numero, *, avec_retard: bool = False, complete: bool = False
) -> FicheAction:
    """La fiche d'un contrat visible, sinon 404 (contrat invisible ou inconnu, fiche
    absente) : la fiche, son contrat et les rôles de l'utilisateur (`roles_on`) en une
    requête. `avec_retard` : « en retard » lu dans la même requête
    (`FicheActionQuerySet.with_retard`), pour une page qui montre le badge ; `complete` :
    avec tout ce que la page de la fiche montre (`FicheActionQuerySet.completes`)."""
    fiches = FicheAction.objects.filter(
        contrat__in=Contrat.objects.visibles_par(user), contrat_id=contrat_pk
    ).select_related("contrat__departement", "contrat__generation")
    if avec_retard:
        fiches = fiches.with_retard()
    if complete:
        fiches = fiches.completes()
    fiche = get_object_or_404(_with_roles(fiches, user, "contrat_id"), numero=numero)
    _cache_roles(user, fiche.contrat, getattr(fiche, "_roles_user", None))
    return fiche


def can_record_values(user, fiche: FicheAction) -> bool:
    """Saisir des chiffres sur les indicateurs : pilote, référent de la fiche, contributeur,
    validateur du contrat."""
    if can_edit_fiche(user, fiche):
        return True
    roles = roles_on(user, fiche.contrat)
    return bool(roles & {Habilitation.Role.CONTRIBUTEUR, Habilitation.Role.VALIDATEUR})


def can_record_values_in(user, contrat: Contrat) -> bool:
    """Saisir des chiffres sur au moins une fiche du contrat (import d'un tableur de
    valeurs) ; chaque ligne est ensuite vérifiée par `can_record_values` sur sa fiche."""
    if user.is_superuser:
        return True
    return bool(
        roles_on(user, contrat)
        & {
            Habilitation.Role.PILOTE,
            Habilitation.Role.REFERENT,
            Habilitation.Role.CONTRIBUTEUR,
            Habilitation.Role.VALIDATEUR,
        }
    )


def users_who_can_record_values(fiche: FicheAction):
    """Les personnes du contrat pour qui `can_record_values` est vrai : ce que proposent
    les listes de choix (référent d'une collecte) et ce que les services vérifient."""
    habilitations = Q(habilitations__contrat_id=fiche.contrat_id)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            habilitations
            & Q(
                habilitations__role__in=[
                    Habilitation.Role.PILOTE,
                    Habilitation.Role.CONTRIBUTEUR,
                    Habilitation.Role.VALIDATEUR,
                ]
            )
            | habilitations
            & Q(habilitations__role=Habilitation.Role.REFERENT, fiches_referent=fiche)
        )
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def can_manage_acces(user, contrat: Contrat) -> bool:
    """Inviter des personnes, changer leurs rôles, retirer leurs accès : un pilote du
    contrat, ou le niveau national (DGCS, administrateurs)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.est_national or is_pilote(user, contrat)
