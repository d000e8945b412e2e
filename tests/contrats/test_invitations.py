"""Invitations : cycle complet (envoi, lien, acceptation, second usage refusé), échéance,
révocation, renvoi, bornes et identifiants forgés."""

import datetime
import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from pilotage.contrats.acces import invitations as services
from pilotage.contrats.invitations import Invitation
from pilotage.contrats.models import ContratQuerySet, Habilitation
from pilotage.core.models import Revision
from pilotage.territoires.models import Departement, Institution
from tests.factories import ContratFactory, InvitationFactory, UserFactory, grant, make_fiche

User = get_user_model()
PASSWORD = "Une phrase de passe solide 2026"
LIEN = re.compile(r"http://testserver/invitations/([A-Za-z0-9_-]+)/")


def invite_url(contrat):
    return f"/contrats/{contrat.pk}/acces/inviter/"


def link_token(message) -> str:
    return LIEN.search(message.body).group(1)


def invite(client, contrat, **data):
    payload = {"email": "nouvelle.personne@exemple.test", "role": "lecteur"} | data
    return client.post(invite_url(contrat), payload)


def history_comments(contrat) -> list[str]:
    return list(Revision.objects.for_object(contrat).values_list("comment", flat=True))


def test_full_lifecycle_from_invitation_to_second_use_refused(client, contrat, pilote):
    client.force_login(pilote)
    response = invite(
        client,
        contrat,
        email="  Nouvelle.Personne@Exemple.TEST ",
        first_name="Nadia",
        last_name="Nouvelle",
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "nouvelle.personne@exemple.test"
    assert invitation.etat == Invitation.Etat.EN_ATTENTE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvelle.personne@exemple.test"]
    assert "Lecteur" in message.body and "Creuse" in message.subject
    token = link_token(message)
    # Seule l'empreinte est gardée, jamais le jeton.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())

    client.logout()
    page = client.get(f"/invitations/{token}/")
    assert page.status_code == 200
    assert "Créer mon compte" in page.text
    response = client.post(
        f"/invitations/{token}/",
        {
            "first_name": "Nadia",
            "last_name": "Nouvelle",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    # Connectée tout de suite : le lien a prouvé l'adresse.
    assert response.status_code == 302 and response.url == f"/contrats/{contrat.pk}/"
    person = User.objects.get(email="nouvelle.personne@exemple.test")
    assert int(client.session["_auth_user_id"]) == person.pk
    client.logout()
    assert person.check_password(PASSWORD) and person.get_full_name() == "Nadia Nouvelle"
    assert Habilitation.objects.filter(user=person, contrat=contrat, role="lecteur").exists()
    invitation.refresh_from_db()
    assert invitation.etat == Invitation.Etat.ACCEPTEE and invitation.accepted_user == person
    assert history_comments(contrat)[0].startswith("Invitation acceptée")
    assert "Invitation envoyée à nouvelle.personne@exemple.test" in history_comments(contrat)

    second = client.get(f"/invitations/{token}/")
    assert second.status_code == 410
    assert "déjà été acceptée" in second.text
    again = client.post(f"/invitations/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    assert again.status_code == 410
    assert User.objects.filter(email="nouvelle.personne@exemple.test").count() == 1


def test_a_weak_or_mismatched_password_creates_no_account(client, contrat):
    invitation = InvitationFactory(contrat=contrat)
    url = f"/invitations/{invitation.token}/"
    mismatch = client.post(url, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert mismatch.status_code == 400
    assert "ne sont pas identiques" in mismatch.text
    short = client.post(url, {"password1": "court", "password2": "court"})
    assert short.status_code == 400
    assert "12 caractères" in short.text
    common = client.post(url, {"password1": "password1234", "password2": "password1234"})
    assert common.status_code == 400
    assert "trop courant" in common.text
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.etat == Invitation.Etat.EN_ATTENTE


def test_an_expired_invitation_link_shows_a_clear_message(client, contrat):
    invitation = InvitationFactory(
        contrat=contrat, expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = client.get(f"/invitations/{invitation.token}/")
    assert response.status_code == 410
    assert "a expiré" in response.text and "renvoyer" in response.text
    with pytest.raises(ValidationError, match="expiré"):
        services.invitation_accept(invitation=invitation, password=PASSWORD)
    assert not User.objects.filter(email=invitation.email).exists()


def test_the_default_validity_is_seven_days_and_follows_the_setting(contrat, pilote, settings):
    invitation = services.invitation_create(
        contrat=contrat, user=pilote, email="a@exemple.test", role="lecteur"
    )
    delta = invitation.expires_at - timezone.now()
    assert datetime.timedelta(days=6, hours=23) < delta <= datetime.timedelta(days=7)
    settings.INVITATION_DAYS = 2
    other = services.invitation_create(
        contrat=contrat, user=pilote, email="b@exemple.test", role="lecteur"
    )
    assert other.expires_at - timezone.now() <= datetime.timedelta(days=2)


def test_a_revoked_invitation_link_no_longer_works(client, contrat, pilote):
    invitation = InvitationFactory(contrat=contrat)
    client.force_login(pilote)
    response = client.post(f"/contrats/{contrat.pk}/acces/invitations/{invitation.pk}/revoquer/")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.etat == Invitation.Etat.REVOQUEE
    assert history_comments(contrat)[0] == f"Invitation révoquée : {invitation.email}"
    client.logout()
    page = client.get(f"/invitations/{invitation.token}/")
    assert page.status_code == 410 and "annulée" in page.text


def test_resending_sends_a_new_link_and_invalidates_the_old_one(client, contrat, pilote):
    client.force_login(pilote)
    invite(client, contrat)
    old_token = link_token(mail.outbox[0])
    invitation = Invitation.objects.get()
    too_soon = client.post(
        f"/contrats/{contrat.pk}/acces/invitations/{invitation.pk}/renvoyer/", follow=True
    )
    assert "vient d'être envoyée" in too_soon.text
    assert len(mail.outbox) == 1
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - datetime.timedelta(minutes=10),
        expires_at=timezone.now() - datetime.timedelta(days=1),
    )
    response = client.post(f"/contrats/{contrat.pk}/acces/invitations/{invitation.pk}/renvoyer/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_token = link_token(mail.outbox[1])
    assert new_token != old_token
    invitation.refresh_from_db()
    assert invitation.etat == Invitation.Etat.EN_ATTENTE  # nouvelle échéance
    assert history_comments(contrat)[0].startswith("Invitation renvoyée")
    client.logout()
    # L'ancien lien ne sert plus, et dit pourquoi (410) plutôt que « pas reconnu ».
    old = client.get(f"/invitations/{old_token}/")
    assert old.status_code == 410 and "remplacé par un plus récent" in old.text
    refused = client.post(
        f"/invitations/{old_token}/",
        {"first_name": "A", "last_name": "B", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert refused.status_code == 410 and not User.objects.filter(email=invitation.email).exists()
    assert client.get(f"/invitations/{new_token}/").status_code == 200


@pytest.mark.parametrize(
    "token", ["inconnu", "x" * 43, "a" * 500, "%00", "jeton avec espaces", "é" * 40]
)
def test_an_unknown_or_forged_token_answers_404_with_a_french_page(client, db, token):
    response = client.get(f"/invitations/{token}/")
    assert response.status_code == 404
    assert "pas reconnu" in response.text


def test_an_invitation_already_open_for_the_address_must_be_resent(client, contrat, pilote):
    client.force_login(pilote)
    invite(client, contrat)
    again = invite(client, contrat, email="NOUVELLE.personne@exemple.test")
    assert again.status_code == 400
    assert "renvoyez-la" in again.text
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_a_person_who_already_has_access_is_not_invited_again(client, contrat, pilote):
    lecteur = UserFactory(email="deja@exemple.test")
    grant(lecteur, contrat, "lecteur")
    client.force_login(pilote)
    response = invite(client, contrat, email="Deja@exemple.test", role="pilote")
    assert response.status_code == 400
    assert "a déjà accès à ce contrat (Lecteur)" in response.text


def test_invitations_per_pilot_and_per_day_are_bounded(client, contrat, pilote, settings):
    settings.INVITATIONS_PER_DAY = 2
    client.force_login(pilote)
    invite(client, contrat, email="a@exemple.test")
    invite(client, contrat, email="b@exemple.test")
    third = invite(client, contrat, email="c@exemple.test")
    assert third.status_code == 400
    assert "2 invitations en 24 heures" in third.text
    assert Invitation.objects.count() == 2


def test_overlong_fields_are_refused_with_a_message(client, contrat, pilote):
    client.force_login(pilote)
    response = invite(client, contrat, email="a" * 250 + "@exemple.test", first_name="N" * 151)
    assert response.status_code == 400
    assert not Invitation.objects.exists()
    with pytest.raises(ValidationError):
        services.invitation_create(
            contrat=contrat, user=pilote, email="x@e.test", role="lecteur", last_name="N" * 151
        )


def test_a_referent_invitation_needs_fiches_of_this_contract(client, contrat, pilote):
    fiche = make_fiche(contrat, numero=1)
    other = make_fiche(ContratFactory(departement=Departement.objects.get(code="19")), numero=1)
    client.force_login(pilote)
    none = invite(client, contrat, role="referent")
    assert none.status_code == 400 and "au moins une fiche" in none.text
    for forged in [str(other.pk), "abc", "99999999999999999999999", "-1"]:
        response = invite(client, contrat, role="referent", fiches=[str(fiche.pk), forged])
        assert response.status_code == 400, forged
        assert "Choisissez des fiches de ce contrat" in response.text
    lecteur = invite(client, contrat, role="lecteur", fiches=[str(fiche.pk)])
    assert lecteur.status_code == 400 and "que pour un référent" in lecteur.text
    assert not Invitation.objects.exists()


def test_the_institution_must_be_one_of_the_contract(client, contrat, pilote):
    ailleurs = Institution.objects.create(
        nom="CD de la Corrèze (test)", type="cd", departement=Departement.objects.get(code="19")
    )
    client.force_login(pilote)
    for forged in [str(ailleurs.pk), "abc", "99999999999999999999999"]:
        response = invite(client, contrat, institution=forged)
        assert response.status_code == 400, forged
    assert not Invitation.objects.exists()


def test_a_referent_invitation_accepted_links_the_fiches_with_history(client, contrat, pilote):
    fiche = make_fiche(contrat, numero=1)
    version = fiche.version
    client.force_login(pilote)
    invite(client, contrat, role="referent", fiches=[str(fiche.pk)])
    token = link_token(mail.outbox[0])
    assert "Fiches que vous tiendrez à jour : n°1" in mail.outbox[0].body
    client.logout()
    client.post(f"/invitations/{token}/", {"password1": PASSWORD, "password2": PASSWORD})
    person = User.objects.get(email="nouvelle.personne@exemple.test")
    fiche.refresh_from_db()
    assert list(fiche.referents.all()) == [person]
    assert fiche.version == version + 1  # un formulaire ouvert avant verra le changement
    change = Revision.objects.for_object(fiche).first().changes.get()
    assert change.label == "Référents dans l'application" and change.new_value == str(person)
    accepted = Revision.objects.for_object(contrat).first()
    assert {c.label for c in accepted.changes.all()} == {
        "Invitation acceptée",
        f"Rôle de {person}",
        f"Fiches de {person} (référent)",
    }


def test_an_existing_account_accepts_after_logging_in(client, contrat, pilote):
    person = UserFactory(email="compte@exemple.test")
    invitation = InvitationFactory(
        contrat=contrat, email="compte@exemple.test", role="contributeur"
    )
    url = f"/invitations/{invitation.token}/"
    page = client.get(url)
    assert "Se connecter pour accepter" in page.text and "Créer mon compte" not in page.text
    assert client.post(url, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 400
    client.force_login(person)
    page = client.get(url)
    assert "Accepter l'invitation" in page.text
    response = client.post(url, {"action": "accepter"})
    assert response.status_code == 302 and response.url == f"/contrats/{contrat.pk}/"
    assert Habilitation.objects.filter(user=person, contrat=contrat, role="contributeur").exists()
    assert not person.check_password(PASSWORD)


def test_an_invitation_for_another_address_cannot_be_accepted(client, contrat):
    someone = UserFactory(email="autre@exemple.test")
    invitation = InvitationFactory(contrat=contrat, email="destinataire@exemple.test")
    client.force_login(someone)
    url = f"/invitations/{invitation.token}/"
    page = client.get(url)
    assert "n'est pas adressée à votre compte" in page.text
    assert "Accepter l'invitation" not in page.text
    assert client.post(url, {"action": "accepter"}).status_code == 403
    assert not Habilitation.objects.filter(user=someone).exists()


def test_the_open_queryset_and_states(contrat):
    now = timezone.now()
    pending = InvitationFactory(contrat=contrat)
    expired = InvitationFactory(contrat=contrat, expires_at=now - datetime.timedelta(seconds=1))
    revoked = InvitationFactory(contrat=contrat, revoked_at=now)
    accepted = InvitationFactory(contrat=contrat, accepted_at=now)
    assert list(Invitation.objects.en_attente()) == [pending]
    assert set(Invitation.objects.ouvertes()) == {pending, expired}
    assert [i.etat for i in (pending, expired, revoked, accepted)] == [
        "en_attente",
        "expiree",
        "revoquee",
        "acceptee",
    ]
    assert isinstance(Invitation.objects.none(), type(Invitation.objects.all()))
    assert not isinstance(Invitation.objects.all(), ContratQuerySet)


# --- ProConnect proposé seulement s'il est configuré ; compte déjà existant -------------

PROCONNECT_BUTTON = 'action="/oidc/authenticate/"'


def test_without_proconnect_neither_the_invitation_page_nor_the_mail_mention_it(
    client, contrat, pilote, settings
):
    settings.PROCONNECT_ENABLED = False
    client.force_login(pilote)
    invite(client, contrat, first_name="Nadia")
    (message,) = mail.outbox
    assert "ProConnect" not in message.body
    assert "Vous y créerez votre mot de passe." in message.body
    client.logout()
    page = client.get(f"/invitations/{link_token(message)}/")
    assert page.status_code == 200
    assert "ProConnect" not in page.text and PROCONNECT_BUTTON not in page.text
    assert "Créez votre compte avec un mot de passe" in page.text


def test_with_proconnect_the_invitation_button_goes_to_proconnect_and_back_to_the_link(
    client, contrat, pilote, settings
):
    settings.PROCONNECT_ENABLED = True
    client.force_login(pilote)
    invite(client, contrat)
    (message,) = mail.outbox
    assert "Vous pourrez vous connecter avec ProConnect ou créer votre mot de passe" in (
        message.body
    )
    client.logout()
    url = f"/invitations/{link_token(message)}/"
    page = client.get(url)
    assert PROCONNECT_BUTTON in page.text
    assert f'<input type="hidden" name="next" value="{url}">' in page.text
    assert "Ou créez votre compte avec un mot de passe" in page.text


def test_back_from_proconnect_an_invitation_accepted_on_arrival_leads_to_the_contract(
    client, contrat
):
    invitation = InvitationFactory(contrat=contrat, email="agent@exemple.test")
    person = services.claim_invitation(email="agent@exemple.test", claims={})
    client.force_login(person)
    response = client.get(f"/invitations/{invitation.token}/", follow=True)
    assert response.redirect_chain == [(f"/contrats/{contrat.pk}/", 302)]
    assert "Invitation acceptée" in response.text
    client.logout()
    assert client.get(f"/invitations/{invitation.token}/").status_code == 410


def test_the_mail_to_an_existing_account_greets_it_by_name_and_asks_to_log_in(
    client, contrat, pilote, settings
):
    settings.PROCONNECT_ENABLED = False
    UserFactory(email="compte@exemple.test", first_name="Lou", last_name="Martin")
    client.force_login(pilote)
    invite(client, contrat, email="compte@exemple.test")
    (message,) = mail.outbox
    assert message.body.startswith("Bonjour Lou Martin,")
    assert "connectez-vous pour accepter l'invitation" in message.body
    assert "mot de passe" not in message.body and "aucun compte ne sera créé" not in message.body
