"""Base commune des formulaires : rendu DSFR, champs facultatifs signalés, garde-fou
« données personnelles ».

Le DSFR recommande de signaler les champs facultatifs plutôt que les champs
obligatoires. django-dsfr émet un avertissement à chaque rendu tant que ce
choix passe par le réglage transitoire ; il conseille de le fixer dans
`get_context`, ce que fait cette classe.
"""

from collections.abc import Iterable, Mapping

from django import forms
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from dsfr.forms import DsfrBaseForm

from .personal_data import detect, highlight


class DsfrForm(DsfrBaseForm):
    def get_context(self):
        context = super(DsfrBaseForm, self).get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


_SELECT = "django/forms/widgets/select.html"
_OPTION = "django/forms/widgets/select_option.html"


def _attrs_html(attrs) -> str:
    """`django/forms/widgets/attrs.html`, en Python."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Liste déroulante rendue sans un gabarit par option (un `{% include %}` et ses
    attributs pour chacune : l'essentiel du coût d'une liste de 20 options) : même HTML,
    octet pour octet, que `select.html` et `select_option.html` de Django. Sans groupes
    d'options et pour des libellés textuels seulement ; sinon, les gabarits. Même nom de
    classe que celle de Django : django-dsfr choisit son gabarit par ce nom (« select »)."""

    def _render(self, template_name, context, renderer=None):
        widget = context["widget"]
        if template_name != _SELECT or self.option_template_name != _OPTION:
            return super()._render(template_name, context, renderer)
        parts = [
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                return super()._render(template_name, context, renderer)
            for option in options:
                if not isinstance(option["label"], str | Promise):
                    return super()._render(template_name, context, renderer)
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs_html(option['attrs'])}>{conditional_escape(option['label'])}</option>\n"
                )
        parts.append("\n</select>")
        return mark_safe("".join(parts).strip())  # noqa: S308 — noms, valeurs et libellés échappés


PERSONAL_DATA_ERROR = (
    "Ces passages ressemblent à des données personnelles (noms, dates de naissance, "
    "téléphones…). Reformulez-les, ou confirmez qu'ils ne permettent d'identifier personne."
)


class _UnconfirmedHiddenInput(forms.HiddenInput):
    """La case de confirmation tant qu'aucun passage n'est signalé : masquée et toujours
    vide, pour qu'une confirmation ne vaille que pour des passages que l'auteur a vus."""

    def format_value(self, value):
        return None


class PersonalDataCheckMixin:
    """Vérifie les champs libres `personal_data_fields` avant l'enregistrement.

    Si des passages ressemblent à des données personnelles, le formulaire est refusé
    (erreur générale) et `personal_data_findings` donne, par champ, `(libellé, passages,
    texte surligné)` pour `includes/personal_data_warning.html` ; la case
    `confirm_personal_data` devient visible. L'auteur reformule, ou coche la case :
    `personal_data_confirmed` (`{champ: passages}`) liste alors ce que la vue trace par
    `services.personal_data_confirmation_record` après l'enregistrement.
    """

    personal_data_fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm_personal_data"] = forms.BooleanField(
            label="Je confirme que les passages signalés ne permettent pas d'identifier une personne",
            required=False,
            widget=_UnconfirmedHiddenInput,
        )
        self.personal_data_findings: dict = {}
        self.personal_data_confirmed: dict = {}

    def clean(self):
        cleaned = super().clean()
        self.personal_data_check(
            {
                name: (self.fields[name].label or name, cleaned.get(name))
                for name in self.personal_data_fields
                if name in self.fields
            }
        )
        return cleaned

    def other_non_field_errors(self) -> list[str]:
        """Les erreurs générales hors avertissement, que l'avertissement affiche lui-même."""
        return [error for error in self.non_field_errors() if error != PERSONAL_DATA_ERROR]

    def personal_data_check(self, texts: Mapping[str, tuple[str, str | None]]) -> bool:
        """Contrôle des textes `{clé: (libellé, texte)}` ; False s'il faut confirmer.

        Utilisable après `is_valid()` pour des textes hors du formulaire (lignes d'un
        formset) : mêmes passages surlignés, même case de confirmation, une seule erreur.
        """
        found = {}
        for key, (label, value) in texts.items():
            if isinstance(value, str) and (findings := detect(value)):
                found[key] = (label, findings, highlight(value, findings))
        if not found:
            return True
        if getattr(self, "cleaned_data", {}).get("confirm_personal_data"):
            self.personal_data_confirmed.update({k: f for k, (_l, f, _h) in found.items()})
            return True
        if not self.personal_data_findings:
            self.add_error(None, PERSONAL_DATA_ERROR)
            self.fields["confirm_personal_data"].widget = forms.CheckboxInput()
        self.personal_data_findings.update(found)
        return False


def check_formsets(form: PersonalDataCheckMixin, formsets: Iterable, fields: Iterable[str]) -> bool:
    """Applique le garde-fou de `form` aux lignes de formsets `(titre, formset)`.

    Pour chaque ligne conservée, les champs `fields` qu'elle possède sont contrôlés ; les
    passages trouvés rejoignent ceux du formulaire principal (clé `préfixe-n°-champ`,
    libellé « Titre (ligne n) – Champ », sans le champ s'il est seul). Renvoie False s'il faut confirmer.
    """
    texts = {}
    for title, formset in formsets:
        for index, line in enumerate(formset.forms, start=1):
            data = getattr(line, "cleaned_data", None) or {}
            if data.get("DELETE"):
                continue
            checked = [name for name in fields if name in line.fields]
            for name in checked:
                if data.get(name):
                    label = f"{title} (ligne {index})"
                    if len(checked) > 1:
                        label += f" – {line.fields[name].label or name}"
                    texts[f"{formset.prefix}-{index}-{name}"] = (label, data[name])
    return form.personal_data_check(texts)
