"""Composants DSFR du projet, là où les balises de django-dsfr ne suffisent pas.

- `{% alerte %}…{% endalerte %}` : une alerte DSFR dont le corps est du HTML libre
  (paragraphes, liste, champ de formulaire) et qui peut porter `id` et `role`
  (`dsfr_alert` met son contenu dans un seul `<p>`, le marque sûr sans l'échapper et
  impose `role="alert"`).
- `{% badge %}` : un badge DSFR en `<span>` dans une ligne de texte (`dsfr_badge` rend
  toujours un `<p>`), ou dont la couleur dépend d'un état (tables `BADGES_ETATS`).

Ailleurs, les gabarits emploient directement `dsfr_alert` et `dsfr_badge`.
"""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

register = template.Library()

# Couleurs des réunions communes à la liste des réunions et au circuit du compte rendu.
_REUNION = {
    "figee": "fr-badge--success",
    "en_validation": "fr-badge--info",
    "tenue": "fr-badge--new fr-badge--no-icon",
}

# Badge d'un état : table → état → (libellé, classes DSFR). Un libellé vide laisse
# celui passé à la balise (souvent le `get_…_display` du modèle).
BADGES_ETATS: dict[str, dict[str, tuple[str, str]]] = {
    "fiche": {
        "realisee": ("", "fr-badge--success"),
        "en_cours": ("", "fr-badge--info"),
        "abandonnee": ("", ""),
        "non_demarree": ("", "fr-badge--new fr-badge--no-icon"),
    },
    "contrat": {
        "signe": ("", "fr-badge--success fr-badge--no-icon"),
        "brouillon": ("", "fr-badge--info fr-badge--no-icon"),
    },
    "releve": {
        "partage": ("", "fr-badge--success"),
        "valide": ("", "fr-badge--info"),
        "relu": ("", "fr-badge--new"),
        "brouillon": ("", "fr-badge--no-icon"),
    },
    # Liste des réunions ; « a_preparer » : planifiée mais passée.
    "reunion": {
        "figee": ("Compte rendu validé", _REUNION["figee"]),
        "en_validation": ("Compte rendu en validation", _REUNION["en_validation"]),
        "tenue": ("Compte rendu en préparation", _REUNION["tenue"]),
        "annulee": ("Annulée", ""),
        "a_preparer": ("Compte rendu à préparer", "fr-badge--warning"),
        "planifiee": ("Planifiée", "fr-badge--info fr-badge--no-icon"),
    },
    # Circuit de validation du compte rendu.
    "compte_rendu": {
        "figee": ("Compte rendu validé, figé", _REUNION["figee"]),
        "en_validation": ("En cours de validation", _REUNION["en_validation"]),
        "tenue": ("Projet, en préparation", _REUNION["tenue"]),
        "annulee": ("Réunion annulée", "fr-badge--error fr-badge--no-icon"),
        "planifiee": ("Réunion planifiée", "fr-badge--no-icon"),
    },
    # Avis d'une institution pilote sur le compte rendu.
    "avis": {
        "valide": ("Validé", "fr-badge--success"),
        "remarques": ("Modifications demandées", "fr-badge--warning"),
        "attente": ("En attente", "fr-badge--no-icon"),
    },
    # Rapport d'exécution annuel (rapports).
    "rapport": {
        "arrete": ("", "fr-badge--success"),
        "valide": ("", "fr-badge--info"),
        "soumis": ("", "fr-badge--new"),
        "brouillon": ("", "fr-badge--no-icon"),
    },
    # Sort d'une fiche à l'import d'un document.
    "import": {
        "creation": ("", "fr-badge--new"),
        "mise_a_jour": ("", "fr-badge--info"),
        "inchangee": ("", "fr-badge--no-icon"),
    },
    # Sort d'un courriel suivi (`core.models.EmailStatus` : invitations, participants).
    "email": {
        "envoye": ("", "fr-badge--success"),
        "en_file": ("", "fr-badge--info fr-badge--no-icon"),
        "echec": ("", "fr-badge--error"),
    },
    # Valeurs d'indicateurs importées d'un tableur (`documents.valeurs.appariement`).
    "valeurs": {
        "nouvelle": ("", "fr-badge--success"),
        "correction": ("", "fr-badge--warning"),
        "identique": ("", "fr-badge--info"),
        "refusee": ("", "fr-badge--error"),
    },
}


@register.simple_block_tag
def alerte(
    content,
    type: str = "info",
    *,
    title: str = "",
    heading_tag: str = "p",
    id: str = "",
    role: str = "",
    extra_classes: str = "",
):
    """Alerte DSFR au corps libre (échappé comme le reste du gabarit).

    `{% alerte "error" title="…" heading_tag="h2" id="conflit" role="alert"
    extra_classes="fr-mb-4w" %}<p>…</p>{% endalerte %}` ; `type` : info, success,
    warning, error ; `extra_classes="fr-alert--sm"` pour une petite alerte.
    """
    html = render_to_string(
        "core/composants/alerte.html",
        {
            "type": type,
            "title": title,
            "heading_tag": heading_tag,
            "id": id,
            "role": role,
            "extra_classes": extra_classes,
            "content": content,
        },
    )
    return mark_safe(html.strip())  # gabarit rendu, variables déjà échappées


@register.inclusion_tag("core/composants/badge.html")
def badge(
    label: str = "",
    *,
    of: str = "",
    state: str = "",
    sm: bool = False,
    inline: bool = False,
    extra_classes: str = "",
) -> dict:
    """Badge DSFR : `{% badge "Indicateur national" inline=True sm=True
    extra_classes="fr-badge--blue-ecume fr-badge--no-icon" %}` ou, couleur selon
    l'état, `{% badge releve.get_statut_display of="releve" state=releve.statut sm=True %}`.

    `inline` : `<span>` au lieu de `<p>`, pour un badge dans une ligne de texte.
    """
    state_label, state_classes = BADGES_ETATS[of].get(state, ("", "")) if of else ("", "")
    classes = " ".join(c for c in (state_classes, "fr-badge--sm" if sm else "", extra_classes) if c)
    return {
        "label": state_label or label,
        "classes": classes,
        "element": "span" if inline else "p",
    }
