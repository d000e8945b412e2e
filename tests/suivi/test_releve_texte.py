"""Relevé : le texte de l'audit (100 ko de « a.a.a.…@b ») est refusé vite, avec un
message en clair, au lieu de figer le serveur pendant le contrôle des données personnelles."""

import time

from django.urls import reverse

from pilotage.contrats.models import Indicateur
from pilotage.suivi.models import Releve
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


def test_the_audit_text_in_a_releve_is_refused_quickly_with_a_clear_message(client, db):
    user = UserFactory()
    contrat = ContratFactory()
    grant(user, contrat)
    fiche = make_fiche(contrat, user=user)
    indicateur = Indicateur.objects.create(fiche=fiche, nature="qualitatif", libelle="Écoute")
    client.force_login(user)
    start = time.perf_counter()
    response = client.post(
        reverse("suivi:releve_create", args=[contrat.pk, fiche.numero]),
        {
            "indicateur": indicateur.pk,
            "date_observation": "2026-05-14",
            "situation": "école maternelle",
            "questions": "Les familles sont-elles écoutées ?",
            "faits": "a." * 50_000 + "@b",
        },
    )
    assert time.perf_counter() - start < 2.0
    assert response.status_code == 400
    assert (
        "Ce texte dépasse 10\xa0000 caractères (il en compte 100\xa0002) : raccourcissez-le."
        in response.content.decode()
    )
    assert not Releve.objects.exists()
