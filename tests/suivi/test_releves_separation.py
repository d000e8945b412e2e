"""Séparation des rôles dans le circuit d'un relevé : la personne qui valide n'est ni
l'auteur ni celle qui l'a relu ; les traces ne se joignent qu'à un brouillon (ce qui a été
relu est ce qui est validé)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pilotage.contrats.models import Contrat
from pilotage.suivi import services
from pilotage.suivi.models import Releve, Trace


@pytest.fixture
def demo(demo_data):
    return Contrat.objects.get(departement__code="23")


def user(email):
    return get_user_model().objects.get(email=f"{email}@demo.pilotage.test")


@pytest.fixture
def draft(demo):
    fiche = demo.fiches.get(numero=1)
    return services.releve_create(
        fiche=fiche,
        user=user("contributeur"),
        indicateur=fiche.indicateurs.get(nature="qualitatif"),
        date_observation=datetime.date(2026, 5, 14),
        situation="école maternelle",
        questions="Les familles sont-elles écoutées et orientées ?",
        faits="85 % des retours parentaux sont positifs.",
    )


def test_the_proofreader_cannot_also_validate(draft):
    services.releve_relire(releve=draft, user=user("validateur"))
    with pytest.raises(PermissionDenied, match="relu"):
        services.releve_valider(releve=draft, user=user("validateur"))
    assert Releve.objects.get(pk=draft.pk).statut == Releve.Statut.RELU


def test_after_a_new_proofreading_by_someone_else_the_former_proofreader_validates(draft):
    validateur = user("validateur")
    services.releve_relire(releve=draft, user=validateur)
    services.releve_renvoyer(releve=draft, user=validateur, commentaire="À reprendre")
    services.releve_relire(releve=draft, user=user("referent"))
    services.releve_valider(releve=draft, user=validateur)
    assert draft.statut == Releve.Statut.VALIDE


def test_the_proofreader_validating_gets_a_french_message_on_the_page(client, demo, draft):
    validateur = user("validateur")
    services.releve_relire(releve=draft, user=validateur)
    client.force_login(validateur)
    response = client.post(
        reverse("suivi:releve", args=[demo.pk, draft.pk]), {"action": "valider"}, follow=True
    )
    assert "La personne qui a relu le relevé ne peut pas aussi le valider" in (
        response.content.decode()
    )
    assert Releve.objects.get(pk=draft.pk).statut == Releve.Statut.RELU


@pytest.mark.parametrize("statut", [Releve.Statut.RELU, Releve.Statut.VALIDE])
def test_no_trace_is_added_once_the_releve_left_the_draft(draft, statut):
    Releve.objects.filter(pk=draft.pk).update(statut=statut)
    draft.refresh_from_db()
    with pytest.raises(PermissionDenied, match="brouillon"):
        services.trace_add(
            releve=draft, user=user("contributeur"), filename="note.txt", data=b"note"
        )
    assert not Trace.objects.exists()


def test_a_trace_after_validation_is_refused_on_the_page_in_french(client, demo, draft):
    services.releve_relire(releve=draft, user=user("referent"))
    services.releve_valider(releve=draft, user=user("validateur"))
    client.force_login(user("contributeur"))
    page = client.get(reverse("suivi:releve", args=[demo.pk, draft.pk])).content.decode()
    assert "Joindre une trace" not in page
    response = client.post(
        reverse("suivi:trace_upload", args=[demo.pk, draft.pk]),
        {"fichier": SimpleUploadedFile("note.txt", b"note")},
        follow=True,
    )
    assert "Les traces se joignent à un brouillon" in response.content.decode()
    assert not Trace.objects.exists()
