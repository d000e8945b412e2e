"""Lectures du journal des accès : la page, ses filtres et ses exports."""

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.utils import timezone

from pilotage.contrats.models import Contrat

from .models import Acces, AccesQuerySet

#: Lignes par page du journal.
PAR_PAGE = 50
#: Lignes au plus dans un export (une année d'un contrat très consulté tient dedans).
EXPORT_MAX = 100_000

EXPORT_HEADERS = ["Date", "Personne", "Institution", "Nature", "Objet", "Adresse", "Contrat"]


def acces_filtres(queryset: AccesQuerySet, criteres: dict) -> AccesQuerySet:
    """Les accès qui répondent aux critères d'un formulaire de filtres valide."""
    return queryset.filtres(
        user_id=criteres.get("personne"),
        nature=criteres.get("nature") or "",
        debut=criteres.get("du"),
        fin=criteres.get("au"),
        contrat_id=criteres.get("contrat"),
    )


def acces_page(queryset: AccesQuerySet, numero) -> Page:
    """Une page du journal, plus récents d'abord, avec institution et contrat chargés (deux
    requêtes : le compte et la page, quel que soit le nombre de lignes)."""
    rows = queryset.select_related("institution", "contrat__departement").order_by("-at", "-pk")
    return Paginator(rows, PAR_PAGE).get_page(numero)


def personnes_du_journal(contrat) -> list[tuple[int, str]]:
    """Les comptes présents dans le journal du contrat (pour le filtre), par nom."""
    seen: dict[int, str] = {}
    pairs = (
        Acces.objects.du_contrat(contrat)
        .filter(user__isnull=False)
        .order_by()
        .values_list("user_id", "personne")
        .distinct()
    )
    for user_id, personne in pairs:
        seen.setdefault(user_id, personne)
    return sorted(seen.items(), key=lambda item: item[1].lower())


def export_rows(queryset: AccesQuerySet):
    """Lignes de l'export (sans en-tête), plus récentes d'abord, au plus `EXPORT_MAX`."""
    rows = (
        queryset.select_related("institution", "contrat__departement", "contrat__generation")
        .order_by("-at", "-pk")[:EXPORT_MAX]
        .iterator(chunk_size=2000)
    )
    for acces in rows:
        yield [
            timezone.localtime(acces.at).strftime("%d/%m/%Y %H:%M"),
            acces.personne,
            acces.institution.nom if acces.institution else "",
            acces.get_nature_display(),
            acces.objet,
            acces.chemin,
            str(acces.contrat),
        ]


def contrats_du_journal() -> list[tuple[int, str]]:
    """Tous les contrats (pour le filtre du journal national)."""
    contrats = Contrat.objects.select_related("departement", "generation")
    return [(c.pk, str(c)) for c in contrats]


def retention_days() -> int:
    return settings.JOURNAL_RETENTION_DAYS
