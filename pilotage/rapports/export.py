"""Contribution des rapports d'exécution à l'export JSON du contrat (voir core/exports.py).

Chaque rapport avec son état et ses versions arrêtées (contenu figé, tel qu'arrêté) :
l'export du contrat garde ainsi ce que les trois parties ont adopté."""

from django.utils import timezone

from pilotage.core.exports import register

from .models import RapportExecution


def _dt(value):
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


@register
def add_rapports(contrat, data: dict, refs: dict) -> None:
    rapports = RapportExecution.objects.filter(contrat=contrat).prefetch_related(
        "versions_arretees__arrete_par"
    )
    data["rapports_execution"] = [
        {
            "annee": rapport.annee,
            "statut": rapport.statut,
            "version": rapport.version,
            "versions_arretees": [
                {
                    "version": v.numero,
                    "arrete_le": _dt(v.arrete_le),
                    "arrete_par": v.arrete_par.email if v.arrete_par else None,
                    "contenu": v.contenu,
                }
                for v in rapport.versions_arretees.all()
            ],
        }
        for rapport in sorted(rapports, key=lambda r: r.annee)
    ]
