"""Filtres et tri du tableau des contrats (vues régionale et nationale), en simples
paramètres GET : un paramètre inconnu ou forgé est ignoré (le tableau reste complet),
jamais une erreur."""

from django import forms

from pilotage.core.forms import DsfrForm
from pilotage.rapports.models import RapportExecution

from .selectors import MOIS_SANS_REUNION, LigneContrat

#: Colonnes triables : clé du paramètre `tri` → (libellé, valeur de tri d'une ligne).
TRIS = {
    "departement": ("Département", lambda li: li.departement.code),
    "signature": ("Signature", lambda li: li.contrat.date_signature),
    "fiches": ("Fiches", lambda li: li.fiches),
    "retard": ("En retard", lambda li: li.retard),
    "impact": ("À impact", lambda li: li.a_impact),
    "derniere": ("Dernière réunion", lambda li: li.derniere_reunion),
    "prochaine": ("Prochaine réunion", lambda li: li.prochaine_reunion),
    "decisions": ("Décisions ouvertes", lambda li: li.decisions_ouvertes),
    "rapport": (
        "Rapport d'exécution",
        lambda li: (li.rapport_annee, li.rapport_statut) if li.rapport_statut else None,
    ),
}
TRI_DEFAUT = "departement"
AUCUN_RAPPORT = "aucun"


class ContratsFiltresForm(DsfrForm):
    q = forms.CharField(label="Département (nom ou code)", max_length=100, required=False)
    reunion = forms.ChoiceField(
        label="Réunions",
        required=False,
        choices=[
            ("", "Tous les contrats"),
            ("sans", f"Aucune réunion tenue depuis {MOIS_SANS_REUNION} mois"),
            ("avec", f"Réunion tenue dans les {MOIS_SANS_REUNION} derniers mois"),
        ],
    )
    retard = forms.BooleanField(label="Seulement avec des fiches en retard", required=False)
    rapport = forms.ChoiceField(
        label="Rapport d'exécution",
        required=False,
        choices=[("", "Tous"), *RapportExecution.Statut.choices, (AUCUN_RAPPORT, "Aucun rapport")],
    )
    # Champs cachés du tableau (`form="filtres-contrats"`), rendus avec lui : un tri
    # change sans redessiner le formulaire.
    tri = forms.ChoiceField(required=False, choices=[(k, v[0]) for k, v in TRIS.items()])
    ordre = forms.ChoiceField(
        required=False, choices=[("asc", "croissant"), ("desc", "décroissant")]
    )

    def criteres(self) -> dict:
        """Les critères valides (un champ forgé est ignoré, les autres s'appliquent)."""
        self.is_valid()
        return getattr(self, "cleaned_data", {})


def filtrer(lignes: list[LigneContrat], criteres: dict) -> list[LigneContrat]:
    q = (criteres.get("q") or "").strip().casefold()
    if q:
        lignes = [
            li
            for li in lignes
            if q in li.departement.nom.casefold() or q == li.departement.code.casefold()
        ]
    reunion = criteres.get("reunion")
    if reunion:
        lignes = [li for li in lignes if li.reunion_recente is (reunion == "avec")]
    if criteres.get("retard"):
        lignes = [li for li in lignes if li.retard]
    rapport = criteres.get("rapport")
    if rapport == AUCUN_RAPPORT:
        lignes = [li for li in lignes if not li.rapport_statut]
    elif rapport:
        lignes = [li for li in lignes if li.rapport_statut == rapport]
    return lignes


def trier(lignes: list[LigneContrat], criteres: dict) -> list[LigneContrat]:
    """Tri par la colonne choisie ; les lignes sans valeur (aucune réunion…) à la fin,
    puis par code de département."""
    tri = criteres.get("tri") or TRI_DEFAUT
    key = TRIS[tri][1]
    lignes = sorted(lignes, key=lambda li: li.departement.code)
    present = [li for li in lignes if key(li) is not None]
    absent = [li for li in lignes if key(li) is None]
    present.sort(key=key, reverse=criteres.get("ordre") == "desc")
    return present + absent
