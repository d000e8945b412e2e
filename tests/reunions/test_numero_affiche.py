"""Une fiche numérotée « 13-1 » par son contrat (génération 2020-2024) garde ce numéro
dans les pages des réunions : détail, séance, dossier, décisions, calendrier."""

import io
import re

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import (
    ContratFactory,
    DecisionFactory,
    UserFactory,
    grant,
    make_comite_suivi,
    make_fiche,
)
from tests.reunions.helpers import url


@pytest.fixture
def decision(db):
    contrat = ContratFactory()
    fiche = make_fiche(contrat, numero=13, numero_texte="13-1", titre="Ateliers d'éveil")
    pilote = UserFactory()
    grant(pilote, contrat)
    point = make_comite_suivi(contrat, pilote).points.get(fiche=fiche)
    return DecisionFactory(point=point, texte="Renforcer les ateliers d'éveil")


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    "page", ["detail", "seance_fiche", "dossier", "compte_rendu", "decisions", "calendrier"]
)
def test_reunion_pages_show_the_fiche_number_as_the_contract_writes_it(client, decision, page):
    reunion = decision.point.reunion
    user = UserFactory()
    grant(user, reunion.contrat)
    client.force_login(user)
    if page == "seance_fiche":
        address = url(page, reunion, 13)
    elif page == "decisions":
        address = reverse("reunions:decisions", args=[reunion.contrat_id])
    elif page == "calendrier":
        address = reverse("reunions:fiche_calendrier", args=[reunion.contrat_id, 13])
    else:
        address = url(page, reunion)
    text = _text(client.get(address))
    assert "n°13-1" in text
    assert not re.search(r"n°13(?![-\d])", text), (
        text[max(0, m.start() - 200) : m.end() + 50]
        if (m := re.search(r"n°13(?![-\d])", text))
        else ""
    )


def test_dossier_word_names_the_fiche_13_1(client, decision):
    reunion = decision.point.reunion
    user = UserFactory()
    grant(user, reunion.contrat)
    client.force_login(user)
    response = client.get(url("dossier_export", reunion, "docx"))
    assert response.status_code == 200
    document = Document(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Fiche action n°13-1" in text
    assert not re.search(r"n°13(?![-\d])", text), (
        text[max(0, m.start() - 200) : m.end() + 50]
        if (m := re.search(r"n°13(?![-\d])", text))
        else ""
    )
