from django import forms
from dsfr.forms import DsfrBaseForm

from .models import Engagement, Objectif


class ObjectifForm(forms.ModelForm, DsfrBaseForm):
    class Meta:
        model = Objectif
        fields = ["titre", "statut", "ondam", "engagement"]
        help_texts = {
            "titre": "Intitulé officiel de l'objectif. Laissez « Intitulé à compléter » s'il n'est pas connu.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engagement"].queryset = Engagement.objects.filter(
            generation_id=self.instance.generation_id
        )
