"""Aperçu d'un import : une case « Garder ces lignes séparées » par regroupement de
lignes d'indicateurs (`regroupements.RegroupementApercu`), décochée par défaut."""

from django import forms

from pilotage.core.forms import DsfrForm


class RegroupementsForm(DsfrForm):
    """Un champ par regroupement, nommé par sa clé ; cochée, la case défait le regroupement."""

    def __init__(self, *args, regroupements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.regroupements = list(regroupements)
        for groupe in self.regroupements:
            self.fields[groupe.key] = forms.BooleanField(
                label="Garder ces lignes séparées",
                help_text=(
                    f"Fiche n°{groupe.fiche_numero} : « {groupe.libelle} » réunit "
                    f"{len(groupe.lignes)} lignes du document."
                ),
                required=False,
                initial=groupe.separe,
            )

    def par_regroupement(self) -> list[tuple]:
        """(regroupement, case à cocher) pour l'aperçu."""
        return [(groupe, self[groupe.key]) for groupe in self.regroupements]
