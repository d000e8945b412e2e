"""Base commune des formulaires : rendu DSFR, champs facultatifs signalés.

Le DSFR recommande de signaler les champs facultatifs plutôt que les champs
obligatoires. django-dsfr émet un avertissement à chaque rendu tant que ce
choix passe par le réglage transitoire ; il conseille de le fixer dans
`get_context`, ce que fait cette classe.
"""

from dsfr.forms import DsfrBaseForm


class DsfrForm(DsfrBaseForm):
    def get_context(self):
        context = super(DsfrBaseForm, self).get_context()
        context["DSFR_MARK_OPTIONAL_FIELDS"] = True
        return context


class PersonalDataCheckMixin:
    """Vérifie les champs libres `personal_data_fields` avant l'enregistrement.

    Si des passages ressemblent à des données personnelles, le formulaire est refusé
    une première fois avec les passages surlignés (`personal_data_findings`) ; l'auteur
    reformule, ou coche la confirmation : `personal_data_confirmed` liste alors ce que
    la vue doit tracer après l'enregistrement.
    """

    personal_data_fields: list[str] = []

    def __init__(self, *args, **kwargs):
        from django import forms

        super().__init__(*args, **kwargs)
        self.fields["confirm_personal_data"] = forms.BooleanField(
            label="Je confirme que les passages signalés ne permettent d'identifier personne",
            required=False,
        )
        self.personal_data_findings: dict = {}
        self.personal_data_confirmed: dict = {}

    def clean(self):
        from .personal_data import detect, highlight

        cleaned = super().clean()
        findings = {}
        for name in self.personal_data_fields:
            value = cleaned.get(name)
            if isinstance(value, str) and (found := detect(value)):
                findings[name] = (self.fields[name].label, found, highlight(value, found))
        if findings and not cleaned.get("confirm_personal_data"):
            self.personal_data_findings = findings
            from django.core.exceptions import ValidationError

            raise ValidationError(
                "Ces passages ressemblent à des données personnelles (noms, dates de naissance, "
                "téléphones…). Reformulez-les, ou confirmez qu'ils ne permettent d'identifier personne."
            )
        self.personal_data_confirmed = {name: f for name, (_l, f, _h) in findings.items()}
        return cleaned
