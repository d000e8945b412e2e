from django.db import migrations


def load(apps, schema_editor):
    from pilotage.territoires.services import territoires_load

    territoires_load(
        region_model=apps.get_model("territoires", "Region"),
        departement_model=apps.get_model("territoires", "Departement"),
    )


class Migration(migrations.Migration):
    dependencies = [("territoires", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
