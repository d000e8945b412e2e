"""Adresses répétées sur une page (un lien par contrat de la vue nationale, par fiche de la
liste du contrat ou de l'ordre du jour, par onglet d'une fiche) : un seul `reverse` pour
toutes, au lieu d'un `{% url %}` par ligne, qui coûtait autant que le reste de la ligne
(issue 15). tests/contrats/test_adresses.py les compare à `reverse`."""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

#: Numéro témoin, remplacé par celui de chaque objet dans l'adresse résolue une fois ; on
#: prend sa dernière occurrence, celle du dernier argument.
_TEMOIN = 987654321


def adresses(nom: str, *debut: int) -> Callable[[int], str]:
    """`adresse = adresses("contrats:contrat")`, puis `adresse(pk)` ; ou
    `adresses("contrats:fiche", contrat_pk)`, puis `adresse(numero)` : l'adresse de cette
    page pour chaque valeur de son dernier argument (un entier), la même que
    `reverse(nom, args=[*debut, valeur])`."""
    avant, repere, apres = reverse(nom, args=[*debut, _TEMOIN]).rpartition(str(_TEMOIN))
    if not repere:
        raise ImproperlyConfigured(f"« {nom} » ne finit pas par un numéro.")
    return lambda valeur: f"{avant}{int(valeur)}{apres}"


def adresses_des_fiches(contrat_pk: int) -> Callable[[int], str]:
    """L'adresse de la fiche n° `numero` du contrat."""
    return adresses("contrats:fiche", contrat_pk)


#: Les pages d'une fiche (onglets, modification, exports), chacune sous l'adresse de la
#: fiche : clé → (nom de la vue, ce qui suit l'adresse de la fiche).
PAGES_DE_LA_FICHE = {
    "indicateurs": ("suivi:indicateurs", "indicateurs/"),
    "releves": ("suivi:releves", "releves/"),
    "collecte": ("suivi:collecte", "collecte/"),
    "calendrier": ("reunions:fiche_calendrier", "calendrier/"),
    "historique": ("contrats:fiche_historique", "historique/"),
    "modifier": ("contrats:fiche_edit", "modifier/"),
    "docx": ("documents:fiche_export", "export.docx"),
    "odt": ("documents:fiche_export", "export.odt"),
    "pdf": ("documents:fiche_export", "export.pdf"),
}


def adresses_de_la_fiche(contrat_pk: int, numero: int) -> dict[str, str]:
    """L'adresse de la fiche (« fiche ») et celles de ses pages (`PAGES_DE_LA_FICHE`),
    tirées d'un seul `reverse` : les onglets de chaque page d'une fiche en demandaient dix."""
    fiche = reverse("contrats:fiche", args=[contrat_pk, numero])
    return {"fiche": fiche} | {cle: fiche + suite for cle, (_, suite) in PAGES_DE_LA_FICHE.items()}
