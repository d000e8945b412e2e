"""Fichiers du rapport produits en tâche de fond : à l'arrêté, chaque fichier de la version
est produit depuis le contenu figé et enregistré, puis servi tel quel ; pour la version en
rédaction, « Générer le PDF » confie la production à la file, la rubrique « Télécharger »
suit son état (en attente, en cours, prête, échec) par HTMX ou par « Actualiser »."""

import datetime
import io
from decimal import Decimal

import docx
import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pilotage.contrats.models import FicheAction
from pilotage.rapports import services
from pilotage.rapports.content import rapport_content
from pilotage.rapports.content.fige import ContenuIllisible, contenu_fige
from pilotage.rapports.formats import EXPORTERS
from pilotage.rapports.models import GenerationFichier, SectionRapport
from pilotage.rapports.selectors import _jsonable, contenu_calcule
from pilotage.rapports.services import FORMATS_FICHIERS
from tests.demo.test_contrat_2020_2024 import _precedent_module, precedent  # noqa: F401
from tests.htmx import assert_htmx_swap_matches_full_render, parse_page

Statut = GenerationFichier.Statut
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "telecharger"}
TASK_PATH = "pilotage.rapports.tasks.fichier_produire"


def _page_url(rapport):
    return reverse("rapports:rapport", args=[rapport.contrat_id, rapport.annee])


def _generer_url(rapport):
    return reverse("rapports:generer", args=[rapport.contrat_id, rapport.annee])


def _version_url(rapport, fmt, numero=1):
    return reverse(
        "rapports:fichier_version", args=[rapport.contrat_id, rapport.annee, numero, fmt]
    )


def _brouillon_url(rapport, fmt):
    return reverse("rapports:fichier_brouillon", args=[rapport.contrat_id, rapport.annee, fmt])


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _read(field) -> bytes:
    with field.open("rb") as handle:
        return handle.read()


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response
    assert response["Content-Disposition"].startswith("attachment;")
    if not response.streaming:
        return response.content
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


@pytest.fixture
def valide_redige(soumis, cd, ddets, ars, fiches):
    """Un rapport au bilan rédigé, validé par les trois parties, prêt à être arrêté."""
    services.section_save(
        rapport=soumis,
        user=cd,
        rubrique=SectionRapport.Rubrique.BILAN,
        fiche=fiches[0],
        texte="Bilan arrêté en comité (texte d'essai).",
    )
    for user in (cd, ddets, ars):
        services.rapport_validate(rapport=soumis, user=user)
    soumis.refresh_from_db()
    return soumis


def _arreter(rapport, user, capture):
    with capture(execute=True):
        services.rapport_arreter(rapport=rapport, user=user)
    rapport.refresh_from_db()
    return rapport.versions_arretees.get(numero=rapport.version)


# --- Version arrêtée ---------------------------------------------------------------


def test_l_arrete_confie_a_la_file_la_production_de_chaque_fichier(
    valide_redige, cd, tasks_worker, django_capture_on_commit_callbacks
):
    version = _arreter(valide_redige, cd, django_capture_on_commit_callbacks)
    generations = list(version.generations.order_by("format"))
    assert sorted(g.format for g in generations) == sorted(FORMATS_FICHIERS)
    assert {g.statut for g in generations} == {Statut.EN_ATTENTE}
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == len(FORMATS_FICHIERS)
    assert not version.fichier_pdf  # la requête n'attend pas le PDF

    tasks_worker()

    version.refresh_from_db()
    for generation in version.generations.all():
        assert generation.statut == Statut.PRETE
        assert generation.taille == getattr(version, f"fichier_{generation.format}").size
    assert _read(version.fichier_pdf).startswith(b"%PDF-")
    assert "Bilan arrêté en comité (texte d'essai)." in _docx_text(_read(version.fichier_docx))


def test_les_fichiers_viennent_du_contenu_fige_pas_des_donnees_du_moment(
    valide_redige, cd, fiches, tasks_worker, django_capture_on_commit_callbacks
):
    version = _arreter(valide_redige, cd, django_capture_on_commit_callbacks)
    # Les données changent entre l'arrêté et le passage du travailleur.
    FicheAction.objects.filter(pk=fiches[0].pk).update(titre="Titre changé après l'arrêté")
    tasks_worker()
    version.refresh_from_db()
    texte = _docx_text(_read(version.fichier_docx))
    assert fiches[0].titre in texte
    assert "Titre changé après l'arrêté" not in texte


def test_les_fichiers_arretes_restent_identiques_quand_les_donnees_changent(
    client, valide_redige, cd, lecteur, fiches, tasks_immediate, django_capture_on_commit_callbacks
):
    _arreter(valide_redige, cd, django_capture_on_commit_callbacks)
    client.force_login(lecteur)
    avant = {fmt: _download(client, _version_url(valide_redige, fmt)) for fmt in FORMATS_FICHIERS}
    FicheAction.objects.filter(pk=fiches[0].pk).update(titre="Titre changé après l'arrêté")
    apres = {fmt: _download(client, _version_url(valide_redige, fmt)) for fmt in FORMATS_FICHIERS}
    assert apres == avant
    # Le lien « produit à la demande » d'un rapport arrêté mène au fichier enregistré.
    response = client.get(
        reverse(
            "rapports:telecharger", args=[valide_redige.contrat_id, valide_redige.annee, "docx"]
        )
    )
    assert response.url == _version_url(valide_redige, "docx")


def test_le_json_d_une_version_arretee_est_relu_du_contenu_fige(
    client, valide_redige, cd, lecteur, fiches, django_capture_on_commit_callbacks
):
    _arreter(valide_redige, cd, django_capture_on_commit_callbacks)
    FicheAction.objects.filter(pk=fiches[0].pk).update(titre="Titre changé après l'arrêté")
    client.force_login(lecteur)
    data = _download(client, _version_url(valide_redige, "json")).decode()
    assert fiches[0].titre in data
    assert "Titre changé après l'arrêté" not in data


def test_un_fichier_arrete_pas_encore_pret_renvoie_a_la_page(
    client, valide_redige, cd, lecteur, tasks_worker, django_capture_on_commit_callbacks
):
    _arreter(valide_redige, cd, django_capture_on_commit_callbacks)  # file en base : en attente
    client.force_login(lecteur)
    response = client.get(_version_url(valide_redige, "pdf"), follow=True)
    assert response.redirect_chain[-1][0] == _page_url(valide_redige) + "#telecharger"
    assert "pas encore prêt" in response.content.decode()
    assert "en attente de production" in response.content.decode()
    assert 'hx-trigger="every 2s"' in response.content.decode()


def test_les_fichiers_arretes_sont_refuses_a_un_autre_departement(
    client,
    valide_redige,
    cd,
    autre_departement,
    tasks_immediate,
    django_capture_on_commit_callbacks,
):
    _arreter(valide_redige, cd, django_capture_on_commit_callbacks)
    client.force_login(autre_departement)
    for fmt in (*FORMATS_FICHIERS, "json"):
        assert client.get(_version_url(valide_redige, fmt)).status_code == 404
    assert client.post(_generer_url(valide_redige), {"format": "pdf"}).status_code == 404
    client.logout()
    response = client.get(_version_url(valide_redige, "docx"))
    assert response.status_code == 302 and "connexion" in response.url
    response = client.post(_generer_url(valide_redige), {"format": "pdf"})
    assert response.status_code == 302 and "connexion" in response.url


def test_une_version_inexistante_ou_un_format_inconnu_repond_404(client, arrete, lecteur):
    client.force_login(lecteur)
    assert client.get(_version_url(arrete, "docx", numero=7)).status_code == 404
    assert client.get(_version_url(arrete, "exe")).status_code == 404
    assert client.get(_brouillon_url(arrete, "exe")).status_code == 404


# --- Version en rédaction : « Générer le PDF » -----------------------------------------


def test_generer_le_pdf_confie_une_seule_production_meme_cliquee_deux_fois(
    client, rapport, lecteur, tasks_worker, django_capture_on_commit_callbacks
):
    client.force_login(lecteur)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_generer_url(rapport), {"format": "pdf"}, **HTMX)
        assert response.status_code == 200
    assert GenerationFichier.objects.filter(rapport=rapport).count() == 1
    assert DBTaskResult.objects.filter(task_path=TASK_PATH).count() == 1
    assert "en attente de production" in response.content.decode()


def test_le_fragment_du_bouton_generer_donne_la_page_entiere(
    client, rapport, lecteur, tasks_worker, django_capture_on_commit_callbacks
):
    client.force_login(lecteur)
    page = client.get(_page_url(rapport))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_generer_url(rapport), {"format": "pdf"}, **HTMX)
    assert_htmx_swap_matches_full_render(
        page, "//form[@hx-post][input[@value='pdf']]", response, client.get(_page_url(rapport))
    )


def test_la_rubrique_se_rafraichit_jusqu_au_pdf_pret_puis_cesse(
    client, rapport, lecteur, tasks_worker, django_capture_on_commit_callbacks
):
    client.force_login(lecteur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_generer_url(rapport), {"format": "pdf"}, **HTMX)
    en_attente = client.get(_page_url(rapport))
    contenu = en_attente.content.decode()
    assert 'hx-trigger="every 2s"' in contenu
    assert 'role="status"' in contenu and "<progress" in contenu
    assert f'href="{_page_url(rapport)}#telecharger">Actualiser' in contenu

    # Rien de changé : la rubrique qui se redemande avec l'état affiché n'est pas remplacée.
    en_attente_tree = parse_page(en_attente)
    sonde = en_attente_tree.xpath("//section[@id='telecharger']")[0].get("hx-get")
    assert client.get(sonde, **HTMX).status_code == 204

    tasks_worker()

    fragment = client.get(sonde, **HTMX)
    assert 'hx-trigger="every 2s"' not in fragment.content.decode()
    assert _brouillon_url(rapport, "pdf") in fragment.content.decode()
    assert_htmx_swap_matches_full_render(
        en_attente, "#telecharger", fragment, client.get(_page_url(rapport))
    )
    assert _download(client, _brouillon_url(rapport, "pdf")).startswith(b"%PDF-")


def test_le_pdf_du_brouillon_est_refuse_a_un_autre_departement(
    client, rapport, lecteur, autre_departement, tasks_immediate, django_capture_on_commit_callbacks
):
    client.force_login(lecteur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_generer_url(rapport), {"format": "pdf"})
    assert _download(client, _brouillon_url(rapport, "pdf")).startswith(b"%PDF-")
    client.force_login(autre_departement)
    assert client.get(_brouillon_url(rapport, "pdf")).status_code == 404
    assert client.get(_page_url(rapport), **HTMX).status_code == 404


def test_sans_javascript_generer_revient_a_la_page_avec_un_message(
    client, rapport, lecteur, tasks_worker, django_capture_on_commit_callbacks
):
    client.force_login(lecteur)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_generer_url(rapport), {"format": "pdf"}, follow=True)
    assert response.redirect_chain[-1][0] == _page_url(rapport) + "#telecharger"
    assert "Le PDF est en production" in response.content.decode()


def test_un_pdf_pas_encore_genere_renvoie_a_la_page(client, rapport, lecteur):
    client.force_login(lecteur)
    response = client.get(_brouillon_url(rapport, "pdf"), follow=True)
    assert "générez-le d'abord" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"format": "exe"}, "Ce format de fichier n&#x27;est pas proposé."),
        ({"format": "pdf", "version": "3"}, "Cette version du rapport n&#x27;a pas été arrêtée."),
        (
            {"format": "pdf", "version": "9" * 40},
            "Cette version du rapport n&#x27;a pas été arrêtée.",
        ),
    ],
)
def test_une_demande_forgee_est_refusee_avec_un_message(client, rapport, lecteur, data, message):
    client.force_login(lecteur)
    response = client.post(_generer_url(rapport), data, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not GenerationFichier.objects.exists()


# --- Échecs ----------------------------------------------------------------------------


def test_un_echec_montre_son_message_et_reessayer_relance(
    client, rapport, lecteur, tasks_worker, django_capture_on_commit_callbacks, monkeypatch
):
    def casse(content):
        raise RuntimeError("police introuvable")

    monkeypatch.setitem(EXPORTERS, "pdf", casse)
    client.force_login(lecteur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_generer_url(rapport), {"format": "pdf"}, **HTMX)
    tasks_worker()

    generation = GenerationFichier.objects.get()
    assert generation.statut == Statut.ECHEC
    assert DBTaskResult.objects.get(task_path=TASK_PATH).status == "FAILED"
    page = client.get(_page_url(rapport))
    contenu = page.content.decode()
    assert "La production du fichier a échoué. Réessayez" in contenu
    assert "Réessayer</button>" in contenu
    assert 'hx-trigger="every 2s"' not in contenu

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_generer_url(rapport), {"format": "pdf"}, **HTMX)
    assert_htmx_swap_matches_full_render(
        page, "//form[@hx-post][input[@value='pdf']]", response, client.get(_page_url(rapport))
    )
    tasks_worker()
    generation.refresh_from_db()
    assert generation.statut == Statut.PRETE


def test_une_production_bloquee_trop_longtemps_devient_un_echec_relancable(
    client, rapport, lecteur, tasks_worker, django_capture_on_commit_callbacks
):
    client.force_login(lecteur)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_generer_url(rapport), {"format": "pdf"})
    longtemps = timezone.now() - GenerationFichier.DUREE_MAX - datetime.timedelta(minutes=1)
    GenerationFichier.objects.update(statut=Statut.EN_COURS, commence_le=longtemps)
    contenu = client.get(_page_url(rapport)).content.decode()
    assert "n&#x27;a pas abouti dans le temps prévu" in contenu
    with django_capture_on_commit_callbacks(execute=True) as relances:
        client.post(_generer_url(rapport), {"format": "pdf"})
    assert len(relances) == 1
    assert GenerationFichier.objects.get().statut == Statut.EN_ATTENTE


def test_un_contenu_fige_illisible_est_signale():
    with pytest.raises(ContenuIllisible):
        contenu_fige(None)
    with pytest.raises(ContenuIllisible):
        contenu_fige({"contrat_id": 1})


def test_le_contenu_fige_redonne_le_contenu_calcule(rapport):
    content = contenu_calcule(rapport.contrat, rapport.annee)
    assert contenu_fige(_jsonable(content)) == content


def test_une_correction_garde_les_fichiers_de_la_version_arretee(
    client, valide_redige, cd, lecteur, tasks_immediate, django_capture_on_commit_callbacks
):
    _arreter(valide_redige, cd, django_capture_on_commit_callbacks)
    client.force_login(lecteur)
    avant = _download(client, _version_url(valide_redige, "docx"))
    services.rapport_corriger(rapport=valide_redige, user=cd)
    page = client.get(_page_url(valide_redige)).content.decode()
    assert _version_url(valide_redige, "docx") in page  # version 1, enregistrée
    assert 'name="format" value="pdf"' in page  # version 2 en rédaction : « Générer le PDF »
    assert _download(client, _version_url(valide_redige, "docx")) == avant


@pytest.mark.parametrize("corrections", [0, 2])
def test_la_rubrique_telecharger_coute_autant_de_requetes_quel_que_soit_le_nombre_de_versions(
    client,
    valide_redige,
    cd,
    ddets,
    ars,
    lecteur,
    corrections,
    tasks_immediate,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    _arreter(valide_redige, cd, django_capture_on_commit_callbacks)
    for _ in range(corrections):
        services.rapport_corriger(rapport=valide_redige, user=cd)
        services.rapport_submit(rapport=valide_redige, user=cd)
        for user in (cd, ddets, ars):
            services.rapport_validate(rapport=valide_redige, user=user)
        _arreter(valide_redige, cd, django_capture_on_commit_callbacks)
    client.force_login(lecteur)
    client.get(_page_url(valide_redige), **HTMX)  # session, caches
    # Session, utilisateur, contrat, rapport et validations, versions, productions.
    with django_assert_max_num_queries(8):
        fragment = client.get(_page_url(valide_redige), **HTMX)
    assert fragment.content.decode().count("arrêtée le") == corrections + 1


# --- Démonstration (chargée une fois, en fin de module) --------------------------------


def test_le_contenu_fige_du_rapport_2024_de_la_creuse_redonne_le_meme_contenu(precedent):  # noqa: F811
    content = rapport_content(precedent, 2024, date=datetime.date(2025, 11, 19))
    fige = contenu_fige(_jsonable(content))
    assert fige == content
    entrantes = {i.libelle: i for i in fige.fiche("6").indicateurs}["Nombre d'IP entrantes"]
    assert (entrantes.valeur, entrantes.evolution_pct) == (Decimal("593"), Decimal("39.9"))
    assert fige.recapitulatif.fiches_abandonnees == ["18"]
    assert any(r.montant for f in fige.fiches for r in f.redeploiements)
