"""Tâches d'une personne : collectes à faire, relevés qui attendent sa relecture ou sa
validation, et les rubriques des applications en aval (comptes rendus de réunion à
valider…). Sert la page « Mes tâches » et les rappels par courriel.

Une application en aval ajoute sa rubrique par `register(Rubrique(...))` au démarrage
(`AppConfig.ready`) : `suivi` ne l'importe pas. Les nombres par rubrique
(`nombres_taches`, une requête) font le bloc de la page d'accueil, leur total
(`nombre_taches`) le compteur du menu principal (`core.attente`) ; les deux, lus une fois
par requête (`nombres_taches_de_la_requete`)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Q, QuerySet

from pilotage.contrats.models import Contrat, Habilitation

from .models import PlanCollecte, Releve

HORIZON_JOURS = 30


@dataclass(frozen=True)
class Rubrique:
    """Une rubrique de « Mes tâches » apportée par une application en aval."""

    key: str
    #: (user, today) -> QuerySet des éléments en attente de cette personne, dans l'ordre
    #: de la page (compté aussi, en une requête avec les autres, pour le menu)
    queryset: Callable[..., QuerySet]
    #: gabarits qui reçoivent `items` : en tête de la page, à la fin du rappel par courriel
    page_template: str
    rappel_template: str


RUBRIQUES: list[Rubrique] = []


def register(rubrique: Rubrique) -> Rubrique:
    if all(r.key != rubrique.key for r in RUBRIQUES):
        RUBRIQUES.append(rubrique)
    return rubrique


@dataclass
class Taches:
    collectes_en_retard: list = field(default_factory=list)
    collectes_a_venir: list = field(default_factory=list)
    a_relire: list = field(default_factory=list)
    a_valider: list = field(default_factory=list)
    a_partager: list = field(default_factory=list)
    #: [(rubrique, éléments)] des applications en aval, dans l'ordre d'enregistrement
    rubriques: list = field(default_factory=list)

    def __getattr__(self, name):
        # `taches.comptes_rendus` : les éléments d'une rubrique par sa clé.
        for rubrique, items in self.__dict__.get("rubriques", ()):
            if rubrique.key == name:
                return items
        raise AttributeError(name)

    @property
    def total(self) -> int:
        own = (
            self.collectes_en_retard,
            self.collectes_a_venir,
            self.a_relire,
            self.a_valider,
            self.a_partager,
        )
        return sum(len(x) for x in own) + sum(len(items) for _r, items in self.rubriques)


def _plans(user, today: datetime.date):
    """Collectes proches ou en retard ; un indicateur retiré du contrat n'en demande plus."""
    return PlanCollecte.objects.filter(
        referent_collecte=user,
        prochaine_echeance__lte=today + datetime.timedelta(days=HORIZON_JOURS),
        indicateur__fiche__contrat__in=Contrat.objects.visibles_par(user),
        indicateur__retire_le__isnull=True,
    )


def _releves(user) -> dict:
    """Les relevés qui attendent cette personne, par étape : à relire, à valider, à
    partager (une règle, servie à la page, aux rappels et au compteur du menu)."""
    roles = Habilitation.objects.filter(user=user)
    active = roles.exclude(role=Habilitation.Role.LECTEUR).values("contrat")
    validator = roles.filter(role=Habilitation.Role.VALIDATEUR).values("contrat")
    sharer = roles.filter(role__in=[Habilitation.Role.VALIDATEUR, Habilitation.Role.PILOTE]).values(
        "contrat"
    )
    same_institution = (
        Q(institution_id=user.institution_id) if user.institution_id else Q(pk__in=[])
    )
    return {
        "a_relire": Releve.objects.filter(
            same_institution,
            statut=Releve.Statut.BROUILLON,
            fiche__contrat__in=active,
        ).exclude(auteur=user),
        "a_valider": Releve.objects.filter(
            same_institution, statut=Releve.Statut.RELU, fiche__contrat__in=validator
        ).exclude(auteur=user),
        "a_partager": Releve.objects.filter(
            same_institution, statut=Releve.Statut.VALIDE, fiche__contrat__in=sharer
        ),
    }


def taches_de(user, today: datetime.date) -> Taches:
    taches = Taches()
    plans = _plans(user, today).select_related("indicateur__fiche__contrat__departement")
    for plan in plans.order_by("prochaine_echeance"):
        target = (
            taches.collectes_en_retard
            if plan.prochaine_echeance < today
            else taches.collectes_a_venir
        )
        target.append(plan)
    for name, releves in _releves(user).items():
        releves = releves.select_related("fiche__contrat__departement", "auteur")
        setattr(taches, name, list(releves.order_by("date_observation")))
    taches.rubriques = [(r, list(r.queryset(user, today))) for r in RUBRIQUES]
    return taches


def _parties(user, today: datetime.date) -> list[tuple[str, QuerySet]]:
    """Chaque rubrique de `Taches` (clé de l'attribut) et sa requête, sans ordre : les
    collectes en retard et à venir, comme `taches_de` les range, puis les relevés et les
    rubriques des applications en aval."""
    plans = _plans(user, today)
    parts = [
        ("collectes_en_retard", plans.filter(prochaine_echeance__lt=today)),
        ("collectes_a_venir", plans.filter(prochaine_echeance__gte=today)),
        *_releves(user).items(),
    ]
    parts += [(r.key, r.queryset(user, today)) for r in RUBRIQUES]
    return [(key, qs.order_by().values_list("pk")) for key, qs in parts]


def _requete_du_compteur(user, today: datetime.date) -> tuple[str, tuple, str, tuple]:
    """(base, clés, SQL, paramètres) du nombre de tâches de chaque rubrique : une requête
    qui rend une ligne, un compte par rubrique (une rubrique qui ne peut rien contenir pour
    cette personne compte 0 sans requête)."""
    parts = _parties(user, today)
    columns, params = [], []
    for i, (_key, qs) in enumerate(parts):
        try:
            sql, part_params = qs.query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:
            columns.append("0")
            continue
        columns.append(f"(SELECT COUNT(*) FROM ({sql}) AS t{i})")
        params += part_params
    keys = tuple(key for key, _qs in parts)
    if all(c == "0" for c in columns):
        return parts[0][1].db, keys, "", ()
    return parts[0][1].db, keys, "SELECT " + ", ".join(columns), tuple(params)


#: SQL des nombres par personne et par jour : la construire par l'ORM (huit requêtes
#: réunies, une quarantaine de filtres) coûtait 15 à 25 ms, plus que le reste d'une page
#: simple ; la requête elle-même, moins d'une milliseconde. Seule la requête est gardée,
#: jamais son résultat : les nombres sont lus à neuf à chaque page.
_REQUETES: dict[tuple, tuple[str, tuple, str, tuple]] = {}
_REQUETES_MAX = 1024


def _cle(user, today: datetime.date) -> tuple:
    """Tout ce dont la requête dépend : le jour et la ligne de la personne (rôle,
    périmètre, région, institution…) avec le type de son institution. Les requêtes des
    rubriques ne lisent rien d'autre (elles ne sont jamais évaluées à la construction)."""
    ligne = tuple(
        getattr(user, f.attname)
        for f in user._meta.concrete_fields
        if f.attname not in ("last_login", "password")
    )
    institution = user.institution.type if user.institution_id else None
    return (today, ligne, institution)


@dataclass(frozen=True)
class NombresDeTaches:
    """Le nombre d'éléments de chaque rubrique de `Taches`, par la même clé
    (`nombres.a_relire`, `nombres.comptes_rendus`) : le bloc de la page d'accueil."""

    par_rubrique: dict

    def __getattr__(self, name):
        try:
            return self.__dict__["par_rubrique"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def total(self) -> int:
        return sum(self.par_rubrique.values())


def nombres_taches(user, today: datetime.date) -> NombresDeTaches:
    """Les nombres de `taches_de(user, today)` par rubrique, en une requête ; sa SQL est
    construite une fois par personne et par jour (`_REQUETES`)."""
    cle = _cle(user, today)
    requete = _REQUETES.get(cle)
    if requete is None:
        if len(_REQUETES) >= _REQUETES_MAX:
            _REQUETES.clear()
        requete = _REQUETES[cle] = _requete_du_compteur(user, today)
    alias, keys, sql, params = requete
    if not sql:  # aucune rubrique ne peut rien contenir pour cette personne
        return NombresDeTaches(dict.fromkeys(keys, 0))
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, params)
        return NombresDeTaches(dict(zip(keys, cursor.fetchone(), strict=True)))


def nombre_taches(user, today: datetime.date) -> int:
    """Le total de `taches_de(user, today)` en une requête (compteur du menu, sur chaque
    page)."""
    return nombres_taches(user, today).total


def nombres_taches_de_la_requete(user, today: datetime.date) -> NombresDeTaches:
    """`nombres_taches`, lu une fois par requête : la page d'accueil montre le bloc « Mes
    tâches » et le compteur du menu, le même nombre. Gardé sur `request.user`, que
    l'authentification charge à neuf à chaque requête (jamais d'une requête à l'autre) ;
    `nombres_taches` et `nombre_taches` lisent toujours à neuf."""
    memo = getattr(user, "_nombres_taches", None)
    if memo is None or memo[0] != today:
        memo = (today, nombres_taches(user, today))
        user._nombres_taches = memo
    return memo[1]


def nombre_taches_de_la_requete(user, today: datetime.date) -> int:
    """Le compteur du menu : le total de `nombres_taches_de_la_requete`."""
    return nombres_taches_de_la_requete(user, today).total
