"""Le tableau de la comparaison d'un indicateur national, écrit ici une rangée par
département (une chaîne chacune) plutôt qu'en gabarit : cent une rangées au national, la
moitié du rendu de la page. Même HTML que le gabarit qu'il remplace. Tout texte venu de
la base est échappé par `html.escape`, celui-là même que `django.utils.html.escape`
applique (comme `tableau`, pour les vues régionale et nationale) ; les badges des
alertes sont rendus une fois par libellé."""

from html import escape as _escape

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from dsfr.templatetags.dsfr_tags import dsfr_badge

from .comparaison import Comparaison, GroupeRegion, LigneDepartement

_DEBUT = '\n          <tr>\n            <th scope="row">{nom} ({code})</th>\n            '
_FIN = "\n          </tr>\n        "
_MANQUANTE = (
    '\n              <td colspan="2">Valeur manquante</td><td>—</td><td>—</td>\n            '
)
_MANQUANTE_SANS_CONTRAT = (
    '\n              <td colspan="2">Valeur manquante (aucun contrat de ce référentiel)</td>'
    "<td>—</td><td>—</td>\n            "
)
_RENSEIGNEE = (
    "\n              <td>{periode}</td><td>{texte}</td><td>{source}</td>\n"
    "              <td>{alertes}</td>\n            "
)


def _badge(label: str) -> str:
    return render_to_string(
        "dsfr/badge.html",
        dsfr_badge(label=label, extra_classes="fr-badge--warning fr-badge--sm"),
    )


def _rangee(ligne: LigneDepartement, badges: dict[str, str]) -> str:
    departement = ligne.departement
    debut = _DEBUT.format(nom=_escape(departement.nom), code=_escape(departement.code))
    if ligne.manquante:
        return debut + (_MANQUANTE if ligne.a_contrat else _MANQUANTE_SANS_CONTRAT) + _FIN
    alertes = "".join(
        (badges[a] if a in badges else badges.setdefault(a, _badge(a))) + " " for a in ligne.alertes
    )
    return (
        debut
        + _RENSEIGNEE.format(
            periode=_escape(str(ligne.periode)),
            texte=_escape(ligne.texte),
            source=_escape(ligne.source) if ligne.source else "—",
            alertes=alertes or "—",
        )
        + _FIN
    )


def blocs(comparaison: Comparaison) -> list[tuple[GroupeRegion, SafeString]]:
    """Chaque groupe de la comparaison avec ses rangées mises bout à bout (HTML sûr)."""
    badges: dict[str, str] = {}
    return [
        (groupe, mark_safe("".join(_rangee(ligne, badges) for ligne in groupe.lignes)))
        for groupe in comparaison.regions
    ]
