"""Propositions d'amélioration : toute personne qui lit l'espace propose, les éditeurs
répondent et font avancer le statut selon les transitions permises."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pilotage.core.models import PersonalDataConfirmation
from pilotage.espace import services
from pilotage.espace.models import PROPOSITION_TRANSITIONS, Proposition

Statut = Proposition.Statut


def _proposer(user, espace, **fields):
    values = {"titre": "Un format de fiche plus court", "texte": "Deux pages au lieu de quatre."}
    values.update(fields)
    return services.proposition_create(user=user, espace=espace, **values)


def test_une_personne_qui_lit_l_espace_propose(client, lecteur_23, espace_23):
    client.force_login(lecteur_23)
    url = reverse("espace:propositions", args=[espace_23.cle])
    response = client.post(url, {"titre": "Fiche plus courte", "texte": "Deux pages suffisent."})
    assert response.status_code == 302
    proposition = Proposition.objects.get()
    assert (proposition.auteur, proposition.statut) == (lecteur_23, Statut.RECUE)
    assert "Fiche plus courte" in client.get(url).text


def test_on_ne_propose_pas_dans_un_espace_qu_on_ne_lit_pas(client, lecteur_23, espace_13):
    client.force_login(lecteur_23)
    url = reverse("espace:propositions", args=[espace_13.cle])
    assert client.post(url, {"titre": "x", "texte": "y"}).status_code == 404
    with pytest.raises(PermissionDenied):
        _proposer(lecteur_23, espace_13)
    assert not Proposition.objects.exists()


def test_le_garde_fou_donnees_personnelles(client, lecteur_23, espace_23):
    client.force_login(lecteur_23)
    url = reverse("espace:propositions", args=[espace_23.cle])
    texte = "La famille Martin, joignable au 06 12 34 56 78, l'a demandé."
    response = client.post(url, {"titre": "Fiche plus courte", "texte": texte})
    assert response.status_code == 400
    assert response.context["form"].personal_data_findings
    assert not Proposition.objects.exists()
    response = client.post(
        url, {"titre": "Fiche plus courte", "texte": texte, "confirm_personal_data": "on"}
    )
    assert response.status_code == 302
    proposition = Proposition.objects.get()
    assert PersonalDataConfirmation.objects.filter(object_id=proposition.pk).exists()


def test_un_editeur_repond_et_change_le_statut(client, pilote_23, lecteur_23, espace_23):
    proposition = _proposer(lecteur_23, espace_23)
    client.force_login(pilote_23)
    url = reverse("espace:proposition", args=[espace_23.cle, proposition.pk])
    response = client.post(url, {"statut": Statut.A_L_ETUDE, "reponse": "Nous l'examinons."})
    assert response.status_code == 302
    proposition.refresh_from_db()
    assert (proposition.statut, proposition.reponse) == (Statut.A_L_ETUDE, "Nous l'examinons.")
    assert proposition.repondu_par == pilote_23


def test_repondre_sans_le_role_repond_403(client, lecteur_23, espace_23):
    proposition = _proposer(lecteur_23, espace_23)
    client.force_login(lecteur_23)
    url = reverse("espace:proposition", args=[espace_23.cle, proposition.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"statut": Statut.RETENUE, "reponse": "Oui"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.proposition_repondre(
            user=lecteur_23, proposition=proposition, statut=Statut.RETENUE, reponse="Oui"
        )
    proposition.refresh_from_db()
    assert proposition.statut == Statut.RECUE


def _toutes_les_paires():
    return [(a, b) for a in Statut.values for b in Statut.values if a != b]


@pytest.mark.parametrize(("depuis", "vers"), _toutes_les_paires())
def test_les_transitions_du_statut(pilote_23, lecteur_23, espace_23, depuis, vers):
    proposition = _proposer(lecteur_23, espace_23)
    Proposition.objects.filter(pk=proposition.pk).update(statut=depuis)
    proposition.refresh_from_db()
    if vers in PROPOSITION_TRANSITIONS[depuis]:
        services.proposition_repondre(
            user=pilote_23, proposition=proposition, statut=vers, reponse="Réponse."
        )
        proposition.refresh_from_db()
        assert proposition.statut == vers
    else:
        with pytest.raises(ValidationError):
            services.proposition_repondre(
                user=pilote_23, proposition=proposition, statut=vers, reponse="Réponse."
            )
        proposition.refresh_from_db()
        assert proposition.statut == depuis


def test_une_proposition_retenue_est_close():
    assert PROPOSITION_TRANSITIONS[Statut.RETENUE] == ()
    assert Statut.RECUE not in {s for vers in PROPOSITION_TRANSITIONS.values() for s in vers}


def test_le_formulaire_ne_propose_que_les_statuts_permis(client, pilote_23, lecteur_23, espace_23):
    proposition = _proposer(lecteur_23, espace_23)
    Proposition.objects.filter(pk=proposition.pk).update(statut=Statut.NON_RETENUE)
    client.force_login(pilote_23)
    response = client.get(reverse("espace:proposition", args=[espace_23.cle, proposition.pk]))
    choix = [value for value, _label in response.context["form"].fields["statut"].choices]
    assert choix == [Statut.A_L_ETUDE, Statut.NON_RETENUE]
    response = client.post(
        reverse("espace:proposition", args=[espace_23.cle, proposition.pk]),
        {"statut": Statut.RETENUE, "reponse": "Finalement oui."},
    )
    assert response.status_code == 400
    proposition.refresh_from_db()
    assert proposition.statut == Statut.NON_RETENUE
