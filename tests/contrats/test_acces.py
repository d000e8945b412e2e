"""Personnes et droits : qui peut gérer les accès, changement de rôle, retrait (jamais le
dernier pilote), périmètres, second facteur, arrivée par ProConnect, nombre de requêtes."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from pilotage.comptes import arrivals, second_factor
from pilotage.contrats.acces import perimetres, services
from pilotage.contrats.invitations import Invitation
from pilotage.contrats.models import Habilitation
from pilotage.core.models import Revision
from pilotage.territoires.models import Departement, Region
from tests.factories import ContratFactory, InvitationFactory, UserFactory, grant, make_fiche

User = get_user_model()


def acces_url(contrat, suffix=""):
    return f"/contrats/{contrat.pk}/acces/{suffix}"


def user_with(contrat, role, **fields):
    user = UserFactory(**fields)
    grant(user, contrat, role)
    return user


# --- qui peut gérer les accès --------------------------------------------------------


@pytest.mark.parametrize("role", ["referent", "contributeur", "validateur", "lecteur"])
def test_only_pilotes_manage_access_other_roles_get_403(client, contrat, pilote, role):
    user = user_with(contrat, role)
    habilitation = Habilitation.objects.get(user=pilote)
    invitation = InvitationFactory(contrat=contrat)
    client.force_login(user)
    assert client.get(acces_url(contrat)).status_code == 403
    assert client.post(acces_url(contrat, "inviter/"), {"email": "x@e.test"}).status_code == 403
    assert client.get(acces_url(contrat, f"{habilitation.pk}/role/")).status_code == 403
    assert client.post(acces_url(contrat, f"{habilitation.pk}/retirer/")).status_code == 403
    assert (
        client.post(acces_url(contrat, f"invitations/{invitation.pk}/revoquer/")).status_code == 403
    )
    assert Habilitation.objects.filter(user=pilote).exists()
    assert "Personnes et droits" not in client.get(f"/contrats/{contrat.pk}/").text


def test_a_pilote_of_another_departement_does_not_even_see_the_page(client, contrat):
    other = ContratFactory(departement=Departement.objects.get(code="19"))
    client.force_login(user_with(other, "pilote"))
    assert client.get(acces_url(contrat)).status_code == 404
    assert client.post(acces_url(contrat, "inviter/"), {"email": "x@e.test"}).status_code == 404


def test_a_regional_reader_sees_the_contract_but_cannot_manage_access(client, contrat):
    regional = UserFactory(perimetre="regional", region=contrat.departement.region)
    client.force_login(regional)
    assert client.get(f"/contrats/{contrat.pk}/").status_code == 200
    assert client.get(acces_url(contrat)).status_code == 403


def test_the_pilote_and_national_staff_manage_access(client, contrat, pilote):
    national = UserFactory(perimetre="national")
    for user in (pilote, national):
        client.force_login(user)
        assert client.get(acces_url(contrat)).status_code == 200
        assert "Personnes et droits" in client.get(f"/contrats/{contrat.pk}/").text


def test_services_refuse_a_user_who_may_not_manage(contrat, pilote):
    lecteur = user_with(contrat, "lecteur")
    habilitation = Habilitation.objects.get(user=pilote)
    with pytest.raises(PermissionDenied):
        services.habilitation_change_role(habilitation=habilitation, role="lecteur", user=lecteur)
    with pytest.raises(PermissionDenied):
        services.habilitation_remove(habilitation=habilitation, user=lecteur)


def test_forged_ids_of_another_contract_answer_404(client, contrat, pilote):
    other = ContratFactory(departement=Departement.objects.get(code="19"))
    foreign = Habilitation.objects.get(user=user_with(other, "lecteur"))
    invitation = InvitationFactory(contrat=other)
    client.force_login(pilote)
    assert client.get(acces_url(contrat, f"{foreign.pk}/role/")).status_code == 404
    assert client.post(acces_url(contrat, f"{foreign.pk}/retirer/")).status_code == 404
    for action in ("renvoyer", "revoquer"):
        url = acces_url(contrat, f"invitations/{invitation.pk}/{action}/")
        assert client.post(url).status_code == 404
    assert client.get(acces_url(contrat, "99999999999999999999999/role/")).status_code == 404
    invitation.refresh_from_db()
    assert invitation.ouverte


# --- rôles et retraits -----------------------------------------------------------------


def test_the_last_pilote_can_be_neither_removed_nor_demoted(client, contrat, pilote):
    habilitation = Habilitation.objects.get(user=pilote)
    client.force_login(pilote)
    response = client.post(acces_url(contrat, f"{habilitation.pk}/retirer/"))
    assert response.status_code == 400
    assert "dernier pilote" in response.text
    response = client.post(acces_url(contrat, f"{habilitation.pk}/role/"), {"role": "lecteur"})
    assert response.status_code == 400 and "dernier pilote" in response.text
    national = UserFactory(perimetre="national")
    with pytest.raises(ValidationError, match="dernier pilote"):
        services.habilitation_remove(habilitation=habilitation, user=national)
    assert Habilitation.objects.get(pk=habilitation.pk).role == "pilote"


def test_an_inactive_second_pilote_does_not_count(contrat, pilote):
    user_with(contrat, "pilote", is_active=False)
    with pytest.raises(ValidationError, match="dernier pilote"):
        services.habilitation_remove(
            habilitation=Habilitation.objects.get(user=pilote), user=pilote
        )


def test_a_pilote_may_leave_when_another_remains(client, contrat, pilote):
    user_with(contrat, "pilote")
    habilitation = Habilitation.objects.get(user=pilote)
    client.force_login(pilote)
    assert "Retirer l" in client.get(acces_url(contrat, f"{habilitation.pk}/retirer/")).text
    response = client.post(acces_url(contrat, f"{habilitation.pk}/retirer/"))
    assert response.status_code == 302
    assert not Habilitation.objects.filter(user=pilote).exists()
    revision = Revision.objects.for_object(contrat).first()
    assert revision.comment.startswith("Accès retiré : Paule Pilote")
    assert revision.changes.get().old_value == "Pilote du contrat"


def test_changing_a_role_to_referent_links_fiches_and_back_unlinks(client, contrat, pilote):
    fiche = make_fiche(contrat, numero=1)
    make_fiche(contrat, numero=2)
    lecteur = user_with(contrat, "lecteur")
    habilitation = Habilitation.objects.get(user=lecteur)
    client.force_login(pilote)
    url = acces_url(contrat, f"{habilitation.pk}/role/")
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "referent", "fiches": [str(fiche.pk)]})
    assert response.status_code == 302
    habilitation.refresh_from_db()
    assert habilitation.role == "referent"
    fiche.refresh_from_db()
    assert list(fiche.referents.all()) == [lecteur]
    labels = [c.label for c in Revision.objects.for_object(contrat).first().changes.all()]
    assert labels == [f"Rôle de {lecteur}", f"Fiches de {lecteur} (référent)"]
    page = client.get(acces_url(contrat))
    assert "n°1" in page.text

    response = client.post(url, {"role": "lecteur"})
    assert response.status_code == 302
    fiche.refresh_from_db()
    assert not fiche.referents.exists()
    assert Revision.objects.for_object(fiche).first().changes.get().new_value == ""


def test_a_role_the_person_already_holds_is_refused(contrat, pilote):
    user = user_with(contrat, "lecteur")
    grant(user, contrat, "contributeur")
    habilitation = Habilitation.objects.get(user=user, role="lecteur")
    with pytest.raises(ValidationError, match="déjà"):
        services.habilitation_change_role(
            habilitation=habilitation, role="contributeur", user=pilote
        )


def test_removing_a_referent_unlinks_the_fiches(contrat, pilote):
    fiche = make_fiche(contrat, numero=1)
    referent = user_with(contrat, "referent")
    fiche.referents.add(referent)
    services.habilitation_remove(habilitation=Habilitation.objects.get(user=referent), user=pilote)
    fiche.refresh_from_db()
    assert not fiche.referents.exists()
    changes = Revision.objects.for_object(contrat).first().changes.all()
    assert [c.old_value for c in changes] == ["Référent de fiche", "n°1"]


def test_the_history_page_lists_every_change(client, contrat, pilote):
    client.force_login(pilote)
    client.post(acces_url(contrat, "inviter/"), {"email": "h@exemple.test", "role": "lecteur"})
    lecteur = user_with(contrat, "lecteur")
    client.post(acces_url(contrat, f"{Habilitation.objects.get(user=lecteur).pk}/retirer/"))
    page = client.get(acces_url(contrat, "historique/"))
    assert page.status_code == 200
    assert "Invitation envoyée à h@exemple.test" in page.text
    assert "Accès retiré" in page.text


# --- périmètres --------------------------------------------------------------------------


def test_national_staff_grants_and_removes_a_regional_perimetre(client, db):
    national = UserFactory(perimetre="national")
    person = UserFactory(email="dreets@exemple.test")
    region = Region.objects.get(departements__code="23")
    client.force_login(national)
    assert client.get("/administration/perimetres/").status_code == 200
    response = client.post(
        "/administration/perimetres/",
        {"email": "DREETS@exemple.test", "perimetre": "regional", "region": region.pk},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.perimetre == "regional" and person.region == region
    assert (
        Revision.objects.for_object(person).first().changes.get().new_value.startswith("Régional")
    )
    assert "dreets@exemple.test" in client.get("/administration/perimetres/").text
    response = client.post(f"/administration/perimetres/{person.pk}/retirer/")
    person.refresh_from_db()
    assert person.perimetre == "local" and person.region is None


def test_a_regional_perimetre_needs_a_region_and_nobody_changes_their_own(client, db):
    national = UserFactory(perimetre="national", email="dgcs@exemple.test")
    UserFactory(email="p@exemple.test")
    client.force_login(national)
    response = client.post(
        "/administration/perimetres/", {"email": "p@exemple.test", "perimetre": "regional"}
    )
    assert response.status_code == 400 and "Choisissez la région" in response.text
    response = client.post(
        "/administration/perimetres/", {"email": "inconnu@exemple.test", "perimetre": "national"}
    )
    assert response.status_code == 400 and "Aucun compte" in response.text
    assert "et accepter l&#x27;invitation" in response.text
    assert "se connecter une première fois" not in response.text
    with pytest.raises(ValidationError, match="propre périmètre"):
        perimetres.perimetre_grant(person=national, perimetre="local", user=national)


@pytest.mark.parametrize("perimetre", ["regional", "local"])
def test_only_national_staff_may_grant_a_perimetre(client, contrat, perimetre):
    user = UserFactory(perimetre=perimetre, region=contrat.departement.region)
    grant(user, contrat, "pilote")
    person = UserFactory()
    client.force_login(user)
    assert client.get("/administration/perimetres/").status_code == 403
    response = client.post(
        "/administration/perimetres/", {"email": person.email, "perimetre": "national"}
    )
    assert response.status_code == 403
    assert client.post(f"/administration/perimetres/{person.pk}/retirer/").status_code == 403
    with pytest.raises(PermissionDenied):
        perimetres.perimetre_grant(person=person, perimetre="national", user=user)
    person.refresh_from_db()
    assert person.perimetre == "local"


# --- second facteur ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "required"),
    [
        ("pilote", True),
        ("validateur", True),
        ("referent", False),
        ("contributeur", False),
        ("lecteur", False),
    ],
)
def test_pilotes_and_validateurs_require_a_second_factor(contrat, role, required):
    user = user_with(contrat, role)
    assert second_factor.required_for(user) is required


def test_a_pilot_forced_to_enrol_is_told_that_his_role_requires_it(client, contrat, settings):
    settings.OTP_REQUIRED = True
    user = user_with(contrat, "pilote")
    assert second_factor.reasons_for(user) == [f"votre rôle « Pilote du contrat » sur le {contrat}"]
    client.force_login(user)
    page = client.get("/comptes/double-authentification/", follow=True).text
    assert "Activer la double authentification" in page
    assert (
        "obligatoire pour votre compte, en raison de votre rôle « Pilote du contrat » "
        f"sur le {contrat}." in page
    )


def test_the_second_factor_reason_names_a_few_contracts_at_most(contrat):
    user = user_with(contrat, "validateur")
    for code in ("19", "41", "87"):
        grant(user, ContratFactory(departement=Departement.objects.get(code=code)), "pilote")
    (reason,) = second_factor.reasons_for(user)
    assert reason.startswith("votre rôle « ") and reason.endswith(" et sur d'autres contrats")
    assert reason.count(" sur le Contrat ") == 3


# --- arrivée par ProConnect ----------------------------------------------------------------


def test_proconnect_arrival_accepts_the_pending_invitations(contrat):
    fiche = make_fiche(contrat, numero=1)
    other = ContratFactory(departement=Departement.objects.get(code="19"))
    first = InvitationFactory(
        contrat=contrat, email="jeanne@exemple.test", role="referent", fiches=[fiche]
    )
    second = InvitationFactory(contrat=other, email="jeanne@exemple.test", role="lecteur")
    user = arrivals.claim(
        email="Jeanne@Exemple.test", claims={"given_name": "Jeanne", "usual_name": "Martin"}
    )
    assert user is not None and user.email == "jeanne@exemple.test"
    assert user.get_full_name() == "Jeanne Martin" and not user.has_usable_password()
    assert set(Habilitation.objects.filter(user=user).values_list("contrat_id", "role")) == {
        (contrat.pk, "referent"),
        (other.pk, "lecteur"),
    }
    fiche.refresh_from_db()
    assert list(fiche.referents.all()) == [user]
    for invitation in (first, second):
        invitation.refresh_from_db()
        assert invitation.etat == Invitation.Etat.ACCEPTEE and invitation.accepted_user == user
    revision = Revision.objects.for_object(contrat).first()
    assert revision.user == user and revision.comment.startswith("Invitation acceptée")


def test_proconnect_arrival_without_a_usable_invitation_gives_nothing(contrat):
    now = timezone.now()
    InvitationFactory(
        contrat=contrat, email="e@exemple.test", expires_at=now - datetime.timedelta(days=1)
    )
    InvitationFactory(contrat=contrat, email="r@exemple.test", revoked_at=now)
    for email in ("e@exemple.test", "r@exemple.test", "inconnu@exemple.test", "pas une adresse"):
        assert arrivals.claim(email=email, claims={}) is None
    assert not User.objects.filter(email__in=["e@exemple.test", "r@exemple.test"]).exists()


def test_proconnect_names_are_bounded_and_must_be_text(contrat):
    InvitationFactory(contrat=contrat, email="n@exemple.test")
    user = arrivals.claim(email="n@exemple.test", claims={"given_name": "J" * 500, "usual_name": 3})
    assert len(user.first_name) == 150 and user.last_name == ""


# --- nombre de requêtes --------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 20])
def test_the_access_page_has_a_bounded_number_of_queries(
    client, contrat, pilote, size, django_assert_max_num_queries
):
    fiches = [make_fiche(contrat, numero=n) for n in range(1, 4)]
    for n in range(size):
        referent = user_with(contrat, "referent")
        fiches[n % 3].referents.add(referent)
        InvitationFactory(contrat=contrat, role="referent", fiches=fiches[:2], invited_by=pilote)
    client.force_login(pilote)
    client.get(acces_url(contrat))
    with django_assert_max_num_queries(14):
        response = client.get(acces_url(contrat))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_the_history_and_perimetre_pages_have_a_bounded_number_of_queries(
    client, contrat, pilote, size, django_assert_max_num_queries
):
    national = UserFactory(perimetre="national")
    for _n in range(size):
        user = user_with(contrat, "lecteur")
        services.habilitation_remove(habilitation=Habilitation.objects.get(user=user), user=pilote)
        UserFactory(perimetre="regional", region=contrat.departement.region)
    client.force_login(pilote)
    # La première page après la connexion vérifie, une fois par session, si un second
    # facteur est dû (comptes.middleware) : hors du compte.
    client.get("/")
    # Compteur « Mes tâches » du menu compris (une requête sur chaque page).
    with django_assert_max_num_queries(13):
        assert client.get(acces_url(contrat, "historique/")).status_code == 200
    client.force_login(national)
    client.get("/")
    with django_assert_max_num_queries(9):
        assert client.get("/administration/perimetres/").status_code == 200


def test_the_perimetre_page_is_in_the_menu_of_national_staff_only(client, contrat, pilote):
    client.force_login(pilote)
    assert "/administration/perimetres/" not in client.get("/").text
    client.force_login(UserFactory(perimetre="national"))
    assert "/administration/perimetres/" in client.get("/").text
