from django.db import migrations

MODELS = ["Generation", "Engagement", "Objectif", "IndicateurNational", "ExempleIndicateur"]


def load(apps, schema_editor):
    from pilotage.referentiel.services import referentiel_load

    referentiel_load(models={name: apps.get_model("referentiel", name) for name in MODELS})


class Migration(migrations.Migration):
    dependencies = [("referentiel", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
