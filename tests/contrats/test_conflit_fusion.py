"""Après un enregistrement refusé (quelqu'un d'autre a modifié la fiche), enregistrer de
nouveau n'efface pas en silence le changement de l'autre personne : les rubriques que
l'auteur n'avait pas touchées reprennent la version enregistrée, celles que les deux ont
changées sont signalées à leur place avec les mots qui diffèrent."""

from html import unescape

import pytest
from lxml import html as lxml_html

from pilotage.contrats.models import FicheAction
from pilotage.contrats.services import fiche_update
from tests.contrats.helpers import existing_rows, fiche_post_data
from tests.factories import UserFactory, grant


@pytest.fixture
def pilot_client(client, pilote):
    client.force_login(pilote)
    return client


@pytest.fixture
def collegue(contrat):
    user = UserFactory(first_name="Camille", last_name="Collègue")
    grant(user, contrat)
    return user


def edit_url(fiche):
    return f"/contrats/{fiche.contrat_id}/fiches/{fiche.numero}/modifier/"


def _resubmit(client, fiche, response):
    """Renvoie le formulaire tel que la page de conflit l'affiche (ce que fait le bouton)."""
    tree = lxml_html.document_fromstring(response.content.decode())
    [form] = tree.xpath("//form[@method='post'][.//button[text()='Enregistrer']]")
    data = {}
    for name, value in form.form_values():
        if name in data:
            data[name] = (
                [*data[name], value] if isinstance(data[name], list) else [data[name], value]
            )
        else:
            data[name] = value
    return client.post(edit_url(fiche), data)


def test_resaving_after_a_conflict_keeps_the_other_persons_change_on_untouched_fields(
    pilot_client, fiche, collegue
):
    data = fiche_post_data(fiche, titre="Ma version du titre")
    fiche_update(
        fiche=fiche, user=collegue, expected_version=1, fields={"constat": "Constat de Camille."}
    )
    response = pilot_client.post(edit_url(fiche), data)
    assert response.status_code == 409
    html = unescape(response.content.decode())
    assert "reprennent la version enregistrée" in html

    assert _resubmit(pilot_client, fiche, response).status_code == 302
    saved = FicheAction.objects.get(pk=fiche.pk)
    assert (saved.titre, saved.constat) == ("Ma version du titre", "Constat de Camille.")


def test_a_list_changed_by_the_other_person_is_not_erased_by_resaving(
    pilot_client, fiche, collegue
):
    data = fiche_post_data(fiche, titre="Ma version du titre")
    fiche_update(
        fiche=fiche,
        user=collegue,
        expected_version=1,
        acteurs=[*existing_rows(fiche, "acteurs"), {"nom": "CAF", "implication": ""}],
    )
    response = pilot_client.post(edit_url(fiche), data)
    assert response.status_code == 409

    assert _resubmit(pilot_client, fiche, response).status_code == 302
    saved = FicheAction.objects.get(pk=fiche.pk)
    assert saved.titre == "Ma version du titre"
    assert "CAF" in saved.acteurs.values_list("nom", flat=True)


def test_a_field_changed_by_both_is_flagged_in_place_with_the_differing_words(
    pilot_client, fiche, collegue
):
    data = fiche_post_data(fiche, constat="Les familles de Guéret sont reçues le mardi.")
    fiche_update(
        fiche=fiche,
        user=collegue,
        expected_version=1,
        fields={"constat": "Les familles de Guéret sont reçues le jeudi."},
    )
    response = pilot_client.post(edit_url(fiche), data)
    assert response.status_code == 409
    tree = lxml_html.document_fromstring(response.content.decode())
    [clash] = tree.xpath("//*[@id='conflit-constat']")
    [caption] = clash.xpath("ancestor::table/caption")
    assert "modifiées des deux côtés" in caption.text_content()
    assert [el.text_content() for el in clash.iter("ins")] == ["[ajouté : mardi.]"]
    # La saisie de l'auteur est gardée dans le champ.
    [textarea] = tree.xpath("//textarea[@name='constat']")
    assert textarea.text_content().strip() == "Les familles de Guéret sont reçues le mardi."
    # Le champ est signalé à sa place (message d'erreur lié au champ).
    assert textarea.get("aria-describedby") == "id_constat-desc-error"
    [group] = textarea.xpath("ancestor::*[contains(@class, 'fr-input-group')][1]")
    assert "Une autre personne a aussi modifié cette rubrique" in group.text_content()
