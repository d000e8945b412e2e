from pilotage.territoires.models import Departement, Region


def test_all_101_departements_and_18_regions_are_loaded(db):
    assert Departement.objects.count() == 101
    assert Region.objects.count() == 18


def test_creuse_is_in_nouvelle_aquitaine(creuse):
    assert creuse.nom == "Creuse"
    assert creuse.region.nom == "Nouvelle-Aquitaine"


def test_corsican_and_overseas_codes_exist(db):
    assert set(
        Departement.objects.filter(code__in=["2A", "2B", "971", "976"]).values_list(
            "code", flat=True
        )
    ) == {"2A", "2B", "971", "976"}
