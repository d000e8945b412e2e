from django.db import migrations

MODELS = ["Generation", "Engagement", "Mesure", "Objectif"]


def load(apps, schema_editor):
    """Engagements, mesures et objectifs de la génération 2020-2024 (rapport d'exécution
    2024 de la Creuse). Idempotent : ne crée que ce qui manque."""
    from pilotage.referentiel.services import (
        GENERATION_2020,
        referentiel_2020_data,
        referentiel_mesures_load,
    )

    data = referentiel_2020_data()
    # La 0002 a créé la génération vide sous un libellé provisoire : il prend celui du fichier.
    apps.get_model("referentiel", "Generation").objects.filter(
        code=GENERATION_2020["code"], libelle=GENERATION_2020["libelle"]
    ).update(libelle=data["generation"]["libelle"])
    referentiel_mesures_load(
        data=data, models={name: apps.get_model("referentiel", name) for name in MODELS}
    )


class Migration(migrations.Migration):
    dependencies = [("referentiel", "0004_mesures")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
