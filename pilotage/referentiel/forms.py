from django import forms

from pilotage.core.forms import DsfrForm

from .models import Engagement, Objectif


class ObjectifForm(forms.ModelForm, DsfrForm):
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
