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
