"""Page de la réunion : la liste du statut de chaque participant est étiquetée à son nom
(« Statut de Claire Pilote », suivi de la marque « * » des champs obligatoires), sur la page comme dans la ligne renvoyée en HTMX."""

import lxml.html

from pilotage.reunions import services
from tests.factories import make_reunion
from tests.reunions.helpers import at, url


def _labels(html: str) -> dict[str, str]:
    """{nom du champ de statut : texte de son étiquette}."""
    tree = lxml.html.fromstring(html)
    labels = {}
    for select in tree.xpath("//select[contains(@name, '-statut')]"):
        (label,) = tree.xpath(f"//label[@for='{select.get('id')}']")
        labels[select.get("name")] = " ".join(label.text_content().split())
    return labels


def test_each_status_list_is_labelled_with_the_participants_name(client, contrat, pilote, fiches):
    reunion = make_reunion(contrat, pilote, at(20))
    invite = services.participation_add(
        reunion=reunion, user=None, institution=None, nom="Jean O'Brien <b>", email=""
    )
    moi = reunion.participations.get(user=pilote)
    client.force_login(pilote)
    labels = _labels(client.get(url("detail", reunion)).content.decode())
    assert labels == {
        f"p{moi.pk}-statut": "Statut de Claire Pilote *",
        f"p{invite.pk}-statut": "Statut de Jean O'Brien <b> *",
    }
    row = client.post(
        url("participants", reunion),
        {"action": "statut", "participation": invite.pk, f"p{invite.pk}-statut": "excuse"},
        HTTP_HX_REQUEST="true",
    )
    assert _labels(f"<table>{row.content.decode()}</table>") == {
        f"p{invite.pk}-statut": "Statut de Jean O'Brien <b> *"
    }
