"""Publier une ressource (fichier ou lien), en garder les versions, la télécharger
seulement depuis un espace lu, la mettre en avant."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilotage.core import files
from pilotage.espace import services
from pilotage.espace.models import FichierRessource, Ressource
from pilotage.referentiel.models import Objectif
from tests.media import assert_download_headers

from .conftest import docx_bytes

DOCX = files.DOCX


def _publier(user, espace, rubrique, **fields):
    values = {"titre": "Guide de la collecte", "resume": "Comment préparer la collecte."}
    if "lien" not in fields:
        values.update(filename="guide.docx", data=docx_bytes())
    values.update(fields)
    return services.ressource_create(user=user, espace=espace, rubrique=rubrique, **values)


def test_publier_une_ressource_avec_un_fichier_par_le_formulaire(
    client, pilote_23, espace_23, rubrique, generation
):
    objectif = Objectif.objects.get(generation=generation, numero=3)
    client.force_login(pilote_23)
    response = client.post(
        reverse("espace:ressource_nouvelle", args=[espace_23.cle]),
        {
            "titre": "Trame de réunion de suivi",
            "rubrique": rubrique.pk,
            "resume": "Une trame d'ordre du jour pour la réunion de suivi.",
            "objectifs": [objectif.pk],
            "fichier": SimpleUploadedFile("trame.docx", docx_bytes("Ordre du jour")),
        },
    )
    ressource = Ressource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("espace:ressource", args=[espace_23.cle, ressource.pk])
    assert ressource.auteur == pilote_23
    assert list(ressource.objectifs.all()) == [objectif]
    version = ressource.fichiers.get()
    assert (version.nom, version.type_contenu) == ("trame.docx", DOCX)


def test_une_nouvelle_version_garde_les_anciennes(client, pilote_23, espace_23, rubrique):
    ressource = _publier(pilote_23, espace_23, rubrique)
    client.force_login(pilote_23)
    url = reverse("espace:version", args=[espace_23.cle, ressource.pk])
    nouveau = SimpleUploadedFile("guide-v2.docx", docx_bytes("Version 2"))
    assert client.post(url, {"fichier": nouveau}).status_code == 302
    versions = list(ressource.fichiers.all())
    assert [v.nom for v in versions] == ["guide-v2.docx", "guide.docx"]
    page = client.get(reverse("espace:ressource", args=[espace_23.cle, ressource.pk]))
    assert "Versions précédentes" in page.text
    for version in versions:
        assert (
            reverse("espace:fichier", args=[espace_23.cle, ressource.pk, version.pk]) in page.text
        )
    ancienne = client.get(
        reverse("espace:fichier", args=[espace_23.cle, ressource.pk, versions[1].pk])
    )
    with versions[1].fichier.open("rb") as stored:
        assert assert_download_headers(ancienne, DOCX, "guide.docx") == stored.read()


def test_deposer_une_version_sans_le_role_est_refuse(lecteur_23, pilote_23, espace_23, rubrique):
    ressource = _publier(pilote_23, espace_23, rubrique)
    with pytest.raises(PermissionDenied):
        services.ressource_version_add(
            user=lecteur_23, ressource=ressource, filename="x.docx", data=docx_bytes()
        )
    assert ressource.fichiers.count() == 1


def test_le_telechargement_verifie_l_acces(client, pilote_23, agent_13, espace_23, rubrique):
    ressource = _publier(pilote_23, espace_23, rubrique)
    version = ressource.fichiers.get()
    url = reverse("espace:fichier", args=[espace_23.cle, ressource.pk, version.pk])
    client.force_login(agent_13)
    assert client.get(url).status_code == 404
    client.force_login(pilote_23)
    assert_download_headers(client.get(url), DOCX, "guide.docx")


def test_un_fichier_d_une_autre_ressource_n_est_pas_servi(
    client, pilote_23, espace_23, espace_13, national, rubrique
):
    """Une adresse forgée (fichier d'une ressource sous une autre) répond 404."""
    ressource_13 = _publier(national, espace_13, rubrique)
    ressource_23 = _publier(pilote_23, espace_23, rubrique)
    version_13 = ressource_13.fichiers.get()
    client.force_login(pilote_23)
    url = reverse("espace:fichier", args=[espace_23.cle, ressource_23.pk, version_13.pk])
    assert client.get(url).status_code == 404


def test_une_ressource_lien(pilote_23, espace_23, rubrique):
    ressource = _publier(pilote_23, espace_23, rubrique, lien="https://exemple.gouv.fr/guide")
    assert ressource.lien == "https://exemple.gouv.fr/guide"
    assert not ressource.fichiers.exists()


@pytest.mark.parametrize(
    "lien", ["javascript:alert(1)", "ftp://exemple.fr/x", "exemple.fr", "https://", "h" * 600]
)
def test_un_lien_qui_n_est_pas_http_est_refuse(pilote_23, espace_23, rubrique, lien):
    with pytest.raises(ValidationError, match="http:// ou https://"):
        _publier(pilote_23, espace_23, rubrique, lien=lien)
    assert not Ressource.objects.exists()


def test_le_formulaire_refuse_le_lien_en_place(client, pilote_23, espace_23, rubrique):
    client.force_login(pilote_23)
    response = client.post(
        reverse("espace:ressource_nouvelle", args=[espace_23.cle]),
        {"titre": "T", "rubrique": rubrique.pk, "resume": "R", "lien": "javascript:alert(1)"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["lien"] == [services.LIEN_INVALIDE]


def test_ni_fichier_ni_lien_ou_les_deux_est_refuse(pilote_23, espace_23, rubrique):
    with pytest.raises(ValidationError, match="l'un ou l'autre"):
        services.ressource_create(
            user=pilote_23, espace=espace_23, rubrique=rubrique, titre="T", resume="R"
        )
    with pytest.raises(ValidationError, match="l'un ou l'autre"):
        _publier(pilote_23, espace_23, rubrique, lien="https://exemple.fr", data=docx_bytes())


def test_le_resume_est_borne(client, pilote_23, espace_23, rubrique):
    client.force_login(pilote_23)
    response = client.post(
        reverse("espace:ressource_nouvelle", args=[espace_23.cle]),
        {"titre": "T", "rubrique": rubrique.pk, "resume": "x" * 601, "lien": "https://a.fr"},
    )
    assert response.status_code == 400
    assert "dépasse 600 caractères" in response.context["form"].errors["resume"][0]
    with pytest.raises(ValidationError):
        _publier(pilote_23, espace_23, rubrique, resume="x" * 601)
    assert not Ressource.objects.exists()


def test_la_ressource_du_trimestre_sur_l_accueil(client, pilote_23, espace_23, rubrique):
    ressource = _publier(pilote_23, espace_23, rubrique, titre="Ressource vedette")
    client.force_login(pilote_23)
    client.post(reverse("espace:trimestre", args=[espace_23.cle, ressource.pk]))
    espace_23.refresh_from_db()
    assert espace_23.ressource_du_trimestre == ressource
    page = client.get(reverse("espace:espace", args=[espace_23.cle]))
    assert page.context["du_trimestre"] == ressource
    assert "Ressource du trimestre" in page.text


def test_mettre_en_avant_demande_le_role(client, lecteur_23, pilote_23, espace_23, rubrique):
    ressource = _publier(pilote_23, espace_23, rubrique)
    client.force_login(lecteur_23)
    response = client.post(reverse("espace:trimestre", args=[espace_23.cle, ressource.pk]))
    assert response.status_code == 403
    espace_23.refresh_from_db()
    assert espace_23.ressource_du_trimestre is None


def test_une_ressource_d_un_autre_espace_ne_se_met_pas_en_avant(
    national, espace_23, espace_13, rubrique
):
    ressource = _publier(national, espace_13, rubrique)
    with pytest.raises(ValidationError):
        services.ressource_du_trimestre_set(user=national, espace=espace_23, ressource=ressource)


def test_rien_n_est_enregistre_quand_le_fichier_est_refuse(pilote_23, espace_23, rubrique):
    with pytest.raises(ValidationError):
        _publier(pilote_23, espace_23, rubrique, filename="x.pdf", data=b"MZ\x90\x00binaire")
    assert not Ressource.objects.exists()
    assert not FichierRessource.objects.exists()
