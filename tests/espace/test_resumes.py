"""Résumé hebdomadaire des espaces suivis (`envoyer_resumes_espaces`) : ce qui est nouveau
depuis le dernier résumé de chaque abonnement, seulement ce que la personne lit encore,
rien s'il n'y a rien, jamais deux fois le même élément (relance, interruption au milieu,
lancements qui se chevauchent) ; liens absolus vers les pages qui vérifient l'accès."""

import datetime
import io
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats.models import Habilitation
from pilotage.espace import resumes, services
from pilotage.espace.models import Abonnement, Proposition, Ressource
from tests.factories import grant

from .conftest import docx_bytes, personne

SITE = "https://pilotage.exemple.test"


@pytest.fixture(autouse=True)
def _site(settings, media_root, monkeypatch):
    """Liens vers un site nommé ; pas de marge, sauf dans le test qui la vérifie : ce qui
    vient d'être publié entre dans le lancement qui suit."""
    settings.SITE_URL = SITE
    monkeypatch.setattr(resumes, "MARGE", datetime.timedelta(0))


def suivre(user, espace, *, depuis=datetime.timedelta(hours=1)) -> Abonnement:
    """Abonnement dont la marque est un peu dans le passé : ce qui est publié ensuite dans
    le test est nouveau."""
    abonnement = services.abonnement_create(user=user, espace=espace)
    Abonnement.objects.filter(pk=abonnement.pk).update(resume_jusqu_a=timezone.now() - depuis)
    return abonnement


def envoyer(**kwargs):
    return resumes.resumes_envoyer(**kwargs)


def publier_ressource(user, espace, rubrique, titre="Guide de la collecte", **kwargs):
    kwargs.setdefault("lien", "https://exemple.gouv.fr/guide")
    return services.ressource_create(
        user=user, espace=espace, rubrique=rubrique, titre=titre, resume="Un résumé.", **kwargs
    )


def publier_actualite(user, espace, titre="Comité régional"):
    return services.actualite_create(user=user, espace=espace, titre=titre, texte="Le 4 mai.")


def _liens(message) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def test_le_resume_cite_ressources_versions_actualites_et_propositions(
    pilote_23, lecteur_23, espace_23, rubrique
):
    ancienne = publier_ressource(
        pilote_23,
        espace_23,
        rubrique,
        "Modèle de relevé",
        lien="",
        filename="v1.docx",
        data=docx_bytes(),
    )
    proposition = services.proposition_create(
        user=lecteur_23, espace=espace_23, titre="Fiche plus courte", texte="Une page."
    )
    suivre(lecteur_23, espace_23)
    Abonnement.objects.update(resume_jusqu_a=timezone.now())  # après l'ancienne ressource
    publier_ressource(pilote_23, espace_23, rubrique, "Guide de la collecte")
    services.ressource_version_add(
        user=pilote_23, ressource=ancienne, filename="v2.docx", data=docx_bytes("v2")
    )
    publier_actualite(pilote_23, espace_23, "Comité régional du 4 mai")
    services.proposition_repondre(
        user=pilote_23, proposition=proposition, statut=Proposition.Statut.RETENUE, reponse="Oui."
    )
    (resume,) = envoyer()
    (message,) = mail.outbox
    assert message.to == [lecteur_23.email]
    assert message.subject == "Pilotage partagé : du nouveau dans « Espace départemental – Creuse »"
    texte = message.body
    assert "Nouvelles ressources :\n- Guide de la collecte (Méthodes)" in texte
    assert "- Modèle de relevé : v2.docx, déposée le" in texte
    assert "Modèle de relevé (Méthodes)" not in texte  # ancienne : pas « nouvelle »
    assert "– Comité régional du 4 mai" in texte
    assert "- Fiche plus courte : retenue" in texte
    (html, type_html) = message.alternatives[0]
    assert type_html == "text/html" and '<html lang="fr">' in html
    assert "Guide de la collecte</a>" in html and "Fiche plus courte</a>" in html
    assert resume.total == 4


def test_les_liens_sont_absolus_et_passent_par_les_pages_qui_verifient_l_acces(
    client, pilote_23, lecteur_23, agent_13, espace_23, rubrique
):
    proposition = services.proposition_create(
        user=lecteur_23, espace=espace_23, titre="Fiche plus courte", texte="Une page."
    )
    suivre(lecteur_23, espace_23)
    publier_ressource(pilote_23, espace_23, rubrique)
    publier_actualite(pilote_23, espace_23)
    services.proposition_repondre(
        user=pilote_23, proposition=proposition, statut="a_l_etude", reponse="On regarde."
    )
    envoyer()
    liens = _liens(mail.outbox[0])
    assert liens and all(lien.startswith(SITE + "/") for lien in liens)
    chemins = {urlsplit(lien).path for lien in liens}
    assert reverse("espace:proposition", args=[espace_23.cle, proposition.pk]) in chemins
    assert reverse("espace:index") in chemins
    for chemin in chemins:
        client.force_login(lecteur_23)
        assert client.get(chemin).status_code == 200, chemin
        if chemin != reverse("espace:index"):
            client.force_login(agent_13)  # une personne des Bouches-du-Rhône
            assert client.get(chemin).status_code == 404, chemin


def test_rien_n_est_envoye_quand_rien_n_est_nouveau(pilote_23, lecteur_23, espace_23, rubrique):
    publier_ressource(pilote_23, espace_23, rubrique)  # avant l'abonnement
    services.abonnement_create(user=lecteur_23, espace=espace_23)
    assert envoyer() == []
    assert mail.outbox == []


def test_le_premier_resume_ne_couvre_que_ce_qui_suit_l_abonnement(
    pilote_23, lecteur_23, espace_23, rubrique
):
    publier_ressource(pilote_23, espace_23, rubrique, "Avant l'abonnement")
    services.abonnement_create(user=lecteur_23, espace=espace_23)
    publier_ressource(pilote_23, espace_23, rubrique, "Après l'abonnement")
    envoyer()
    (message,) = mail.outbox
    assert "Après l'abonnement" in message.body and "Avant l'abonnement" not in message.body


def test_ce_qui_vient_d_etre_publie_attend_le_resume_suivant(
    pilote_23, lecteur_23, espace_23, rubrique, monkeypatch
):
    monkeypatch.setattr(resumes, "MARGE", datetime.timedelta(minutes=5))
    suivre(lecteur_23, espace_23)
    publier_ressource(pilote_23, espace_23, rubrique)
    assert envoyer() == []  # dans la marge : ni envoyée ni perdue
    envoyer(maintenant=timezone.now() + datetime.timedelta(minutes=10))
    assert len(mail.outbox) == 1


def test_une_seconde_execution_n_envoie_rien_de_plus(pilote_23, lecteur_23, espace_23, rubrique):
    suivre(lecteur_23, espace_23)
    publier_ressource(pilote_23, espace_23, rubrique, "Première")
    envoyer()
    envoyer()
    assert len(mail.outbox) == 1
    # Un lancement arrêté plus tôt que le précédent (fenêtres qui se chevauchent) : rien.
    assert envoyer(maintenant=timezone.now() - datetime.timedelta(minutes=30)) == []
    publier_ressource(pilote_23, espace_23, rubrique, "Seconde")
    envoyer()
    assert len(mail.outbox) == 2
    assert "Seconde" in mail.outbox[1].body and "Première" not in mail.outbox[1].body


def test_un_lancement_concurrent_ne_renvoie_pas_ce_qu_un_autre_a_pris(
    pilote_23, lecteur_23, espace_23, rubrique
):
    """Deux lancements lisent les mêmes marques ; le second écrit après le premier."""
    suivre(lecteur_23, espace_23)
    publier_ressource(pilote_23, espace_23, rubrique)
    jusqu_a = timezone.now() + datetime.timedelta(minutes=1)  # arrêté après le premier
    lus_par_le_second = resumes.resumes_calculer(jusqu_a=jusqu_a, base_url=SITE)
    envoyer()
    assert len(mail.outbox) == 1
    (resume,) = lus_par_le_second
    assert resumes._marques_avancer(resume, jusqu_a) == set()


def test_apres_une_interruption_la_relance_envoie_le_reste_sans_doublon(
    pilote_23, lecteur_23, contrat_23, espace_23, rubrique, monkeypatch, tasks_worker
):
    """File des tâches en base : le courriel et la marque sont écrits ensemble, ou pas."""
    autre = personne()
    grant(autre, contrat_23, "lecteur")
    suivre(lecteur_23, espace_23)
    suivre(autre, espace_23)
    publier_ressource(pilote_23, espace_23, rubrique)
    original = resumes._courriel

    def panne_au_second(resume, **kwargs):
        original(resume, **kwargs)  # déjà dans la file de cette transaction
        if resume.user == autre:
            raise RuntimeError("coupure")

    monkeypatch.setattr(resumes, "_courriel", panne_au_second)
    with pytest.raises(RuntimeError):
        envoyer()
    tasks_worker()
    assert [m.to for m in mail.outbox] == [[lecteur_23.email]]
    monkeypatch.setattr(resumes, "_courriel", original)
    envoyer()
    envoyer()
    tasks_worker()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lecteur_23.email, autre.email])


def test_un_espace_que_l_on_ne_lit_plus_ne_donne_rien(
    pilote_23, lecteur_23, national, espace_23, national_espace, rubrique
):
    suivre(lecteur_23, espace_23)
    suivre(lecteur_23, national_espace)
    Habilitation.objects.filter(user=lecteur_23).delete()
    publier_ressource(pilote_23, espace_23, rubrique, "Du département")
    publier_ressource(national, national_espace, rubrique, "Du national")
    envoyer()
    (message,) = mail.outbox
    assert "Du national" in message.body and "Du département" not in message.body
    assert "Espace départemental – Creuse" not in message.body


def test_une_personne_desactivee_ne_recoit_rien(pilote_23, lecteur_23, espace_23, rubrique):
    suivre(lecteur_23, espace_23)
    lecteur_23.is_active = False
    lecteur_23.save()
    publier_ressource(pilote_23, espace_23, rubrique)
    assert envoyer() == [] and mail.outbox == []


def test_ne_plus_suivre_arrete_les_courriels(pilote_23, lecteur_23, espace_23, rubrique):
    suivre(lecteur_23, espace_23)
    services.abonnement_delete(user=lecteur_23, espace=espace_23)
    publier_ressource(pilote_23, espace_23, rubrique)
    assert envoyer() == [] and mail.outbox == []


def test_trois_espaces_suivis_donnent_un_seul_courriel_par_espace_en_section(
    pilote_23, lecteur_23, national, espace_23, espace_na, national_espace, rubrique
):
    for espace in (espace_23, espace_na, national_espace):
        suivre(lecteur_23, espace)
    publier_actualite(pilote_23, espace_23, "Du département")
    publier_actualite(national, espace_na, "De la région")
    publier_actualite(national, national_espace, "Du national")
    envoyer()
    (message,) = mail.outbox
    assert message.subject == "Pilotage partagé : du nouveau dans 3 espaces que vous suivez"
    for nom in ("Espace national", "Espace régional – ", "Espace départemental – Creuse"):
        assert f"== {nom}" in message.body


def test_une_section_longue_est_bornee(pilote_23, lecteur_23, espace_23, rubrique):
    suivre(lecteur_23, espace_23)
    for i in range(resumes.PAR_SORTE + 2):
        publier_actualite(pilote_23, espace_23, f"Actualité {i}")
    envoyer()
    assert "- et 2 autres : voir l'espace" in mail.outbox[0].body


def _preparer(lecteur, pilote, national, espaces, rubrique, n) -> None:
    """`lecteur` suit deux espaces ; `n` ressources dans l'un, `n` actualités dans l'autre."""
    for espace in espaces:
        services.abonnement_create(user=lecteur, espace=espace)
    for i in range(n):
        publier_ressource(pilote, espaces[0], rubrique, f"Ressource {i}")
        publier_actualite(national, espaces[1], f"Actualité {i}")


def test_le_nombre_de_requetes_ne_grandit_pas_avec_les_elements(
    pilote_23,
    lecteur_23,
    contrat_23,
    national,
    espace_23,
    national_espace,
    rubrique,
    django_assert_max_num_queries,
):
    espaces = [espace_23, national_espace]
    _preparer(lecteur_23, pilote_23, national, espaces, rubrique, 2)
    with CaptureQueriesContext(connection) as deux:
        (resume,) = envoyer()
    assert resume.total == 4
    Abonnement.objects.all().delete()
    autre = personne()
    grant(autre, contrat_23, "lecteur")
    _preparer(autre, pilote_23, national, espaces, rubrique, 20)
    with django_assert_max_num_queries(len(deux)):
        (resume,) = envoyer()
    assert resume.total == 40


def test_l_essai_dit_qui_recevrait_quoi_sans_rien_envoyer(
    pilote_23, lecteur_23, espace_23, rubrique, monkeypatch
):
    suivre(lecteur_23, espace_23, depuis=datetime.timedelta(days=2))
    publier_ressource(pilote_23, espace_23, rubrique, "Guide de la collecte")
    # Publiée il y a une heure : passée la marge (la vraie) du lancement.
    monkeypatch.setattr(resumes, "MARGE", datetime.timedelta(minutes=5))
    Ressource.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    sortie = io.StringIO()
    call_command("envoyer_resumes_espaces", "--dry-run", stdout=sortie)
    assert f"{lecteur_23.email} : 1 nouveauté(s)" in sortie.getvalue()
    assert "ressource : Guide de la collecte" in sortie.getvalue()
    assert mail.outbox == []
    sortie = io.StringIO()
    call_command("envoyer_resumes_espaces", stdout=sortie)
    assert "1 résumé(s) envoyé(s)." in sortie.getvalue() and len(mail.outbox) == 1
