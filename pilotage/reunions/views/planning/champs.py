"""Champs répétés de la page de la réunion : un temps prévu par fiche de l'ordre du jour,
un statut par participant (20 à 30 champs sur une réunion de 20 fiches).

Chaque champ passait par les gabarits de django-dsfr (groupe, étiquette, widget,
attributs, options) : quelque 3 ms par champ, le tiers de la page. Le groupe DSFR est
désormais rendu une fois par ces mêmes gabarits, avec des valeurs témoins, puis décliné
par ligne (nom, identifiant, libellé, valeur) : le HTML est le même, octet pour octet.
Seulement pour un formulaire non soumis ; après une erreur, la vue rend chaque champ
par le gabarit, avec son message.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ...forms import DureesForm, ParticipationStatutForm

#: Valeurs témoins, remplacées dans le rendu unique ; elles n'apparaissent nulle part
#: ailleurs dans un groupe de champ.
_CLE = "zzcleperformancezz"
_LIBELLE = "zzlibelleperformancezz"
_VALEUR = "987654321"


@dataclass(frozen=True)
class ChampRendu:
    """Tient lieu de champ de formulaire dans le gabarit (`champ.as_field_group`)."""

    html: SafeString

    def as_field_group(self) -> SafeString:
        return self.html


def durees_champs(points) -> dict[int, ChampRendu]:
    """Le champ « temps prévu » de chaque point (formulaire non soumis), par point."""
    gabarits = {}

    def gabarit(valeur) -> str:
        # Seulement les variantes utiles (champ vide, champ rempli) : un rendu chacune.
        if valeur not in gabarits:
            temoin = SimpleNamespace(
                pk=_CLE, fiche=SimpleNamespace(numero_affiche=_LIBELLE), duree_minutes=valeur
            )
            champ = DureesForm(points=[temoin])[f"duree_{_CLE}"]
            gabarits[valeur] = str(champ.as_field_group())
        return gabarits[valeur]

    champs = {}
    for point in points:
        valeur = point.duree_minutes
        html = gabarit(None if valeur is None else _VALEUR)
        html = html.replace(_CLE, str(point.pk))
        html = html.replace(_LIBELLE, escape(point.fiche.numero_affiche))
        if valeur is not None:
            html = html.replace(_VALEUR, str(int(valeur)))
        champs[point.pk] = ChampRendu(mark_safe(html))  # noqa: S308 — gabarit échappé, valeurs échappées
    return champs


def statut_champs(participations) -> dict[int, SimpleNamespace]:
    """Le formulaire de statut de chaque participation (`form.statut`), par participation."""
    gabarit = str(ParticipationStatutForm(prefix=_CLE, libelle=_LIBELLE)["statut"].as_field_group())
    formulaires = {}
    for participation in participations:
        option = f'<option value="{escape(participation.statut)}"'
        html = gabarit.replace(_CLE, f"p{participation.pk}")
        html = html.replace(_LIBELLE, escape(participation.libelle))
        html = html.replace(f"{option}>", f"{option} selected>", 1)
        formulaires[participation.pk] = SimpleNamespace(statut=ChampRendu(mark_safe(html)))  # noqa: S308
    return formulaires
