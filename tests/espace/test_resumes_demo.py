"""La démonstration donne un résumé à envoyer : son pilote suit l'espace de la Creuse et
celui de sa région, où des publications datent d'après son abonnement."""

import io

from django.core import mail
from django.core.management import call_command

from pilotage.demo.services.espace import PROPOSANT, espace_demo_load
from pilotage.espace.models import Abonnement


def test_l_essai_des_resumes_montre_le_resume_du_pilote_de_la_demonstration(demo_data):
    sortie = io.StringIO()
    call_command("envoyer_resumes_espaces", "--dry-run", stdout=sortie)
    texte = sortie.getvalue()
    assert f"{PROPOSANT} : 2 nouveauté(s)" in texte
    assert "Espace départemental – Creuse\n    actualité : Comité technique" in texte
    assert "Espace régional – Nouvelle-Aquitaine\n    ressource : Retour d'expérience" in texte
    assert "1 résumé(s) à envoyer" in texte
    assert mail.outbox == []


def test_recharger_la_demonstration_ne_change_pas_les_abonnements(demo_data):
    avant = list(Abonnement.objects.values_list("pk", "created_at", "resume_jusqu_a"))
    espace_demo_load()
    assert list(Abonnement.objects.values_list("pk", "created_at", "resume_jusqu_a")) == avant
    assert len(avant) == 2
