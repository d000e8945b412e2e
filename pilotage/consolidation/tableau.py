"""Le tableau des contrats des vues régionale et nationale, écrit ici une rangée par
contrat (une chaîne chacune) plutôt qu'en gabarit : quatorze variables par rangée, cent
une rangées au national, la moitié du rendu de la page. Même HTML que le gabarit qu'il
remplace. Tout texte venu de la base est échappé par `html.escape`, celui-là même que
`django.utils.html.escape` applique (sans son enveloppe paresseuse, qui coûtait
autant que la rangée) ; les nombres et les dates n'ont rien à échapper."""

from dataclasses import dataclass
from html import escape as _escape

from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from dsfr.templatetags.dsfr_tags import dsfr_badge

from pilotage.contrats.adresses import adresses
from pilotage.contrats.models import Etat
from pilotage.core.formats import euros

from .selectors import MOIS_SANS_REUNION, GroupeRegion, LigneContrat, LigneObjectif

_RANGEE = (
    "\n        <tr>\n"
    '          <th scope="row"><a href="{adresse}">{nom} ({code})</a></th>\n'
    "          <td>{signature}</td>\n"
    '          <td><strong>{fiches}</strong><ul class="fr-text--xs fr-mb-0 etats">{etats}</ul></td>\n'
    "          <td>{retard}</td>\n"
    "          <td>{a_impact}</td>\n"
    "          <td>{derniere}</td>\n"
    "          <td>{prochaine}</td>\n"
    "          <td>{decisions}</td>\n"
    "          <td>{rapport}</td>\n"
    "        </tr>\n      "
)


@dataclass
class Bloc:
    """Un groupe du tableau : sa région, l'adresse de sa vue régionale, ses rangées mises
    bout à bout (vide sans contrat)."""

    groupe: GroupeRegion
    adresse: str
    rangees: SafeString


def badge_sans_reunion() -> SafeString:
    """Le badge « Aucune depuis 8 mois », rendu une fois pour tout le tableau."""
    return render_to_string(
        "dsfr/badge.html",
        dsfr_badge(
            label=f"Aucune depuis {MOIS_SANS_REUNION} mois",
            extra_classes="fr-badge--warning fr-badge--sm",
        ),
    )


def _rangee(ligne: LigneContrat, etats: list[tuple[str, str]], badge: SafeString) -> str:
    """Le HTML d'une rangée, sûr (textes échappés ici) : marqué avec son bloc."""
    # Libellés des états déjà échappés (`etats`) : les nombres seuls changent par rangée.
    par_etat = "".join(f"<li>{label} : {ligne.etats.get(value, 0)}</li>" for value, label in etats)
    part = ligne.part_retard
    derniere = ligne.derniere_texte  # une date ou « Aucune » : rien à échapper
    departement = ligne.departement
    return _RANGEE.format(
        adresse=_escape(ligne.adresse),
        nom=_escape(departement.nom),
        code=_escape(departement.code),
        signature=_escape(ligne.signature_texte),
        fiches=ligne.fiches,
        etats=par_etat,
        retard=ligne.retard if part is None else f"{ligne.retard} ({part} %)",
        a_impact=ligne.a_impact,
        derniere=derniere if ligne.reunion_recente else f"{derniere} {badge}",
        prochaine=ligne.prochaine_texte,
        decisions=ligne.decisions_ouvertes,
        rapport=_escape(ligne.rapport_libelle),
    )


def blocs(groupes: list[GroupeRegion]) -> list[Bloc]:
    """Les groupes du tableau, chacun avec ses rangées écrites."""
    etats = [(value, conditional_escape(label)) for value, label in Etat.choices]
    badge = badge_sans_reunion()
    region = adresses("consolidation:region")
    return [
        Bloc(
            groupe,
            region(groupe.region.pk),
            mark_safe("".join([_rangee(ligne, etats, badge) for ligne in groupe.lignes])),
        )
        for groupe in groupes
    ]


_RANGEE_OBJECTIF = (
    "\n          <tr>\n"
    '            <th scope="row">{libelle} <span class="fr-text--xs">({statut})</span><br>'
    '<span class="fr-text--xs">{titre}</span></th>\n'
    "            <td>{departements}</td>\n"
    "            <td>{fiches}</td>\n"
    "            {montants}\n"
    "            <td>{total}</td>\n"
    "          </tr>\n        "
)


def rangees_objectifs(lignes: list[LigneObjectif], financeurs: list[tuple[str, str]]) -> SafeString:
    """Les rangées du tableau des objectifs et financements de la vue nationale (même
    raison : six montants par objectif), « — » sans montant."""
    rangees = []
    for ligne in lignes:
        objectif = ligne.objectif
        montants = "".join(
            f"<td>{'—' if (value := ligne.montant(key)) is None else euros(value)}</td>"
            for key, _ in financeurs
        )
        total = ligne.total
        rangees.append(
            _RANGEE_OBJECTIF.format(
                libelle=_escape(objectif.libelle_court),
                statut=_escape(objectif.statut_libelle),
                titre=_escape(Truncator(objectif.titre).chars(120)),
                departements=ligne.departements,
                fiches=ligne.fiches,
                montants=montants,
                total=euros(total) if total else "—",
            )
        )
    return mark_safe("".join(rangees))
