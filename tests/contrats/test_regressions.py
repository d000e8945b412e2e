"""Bogues corrigés : chaque cas a son test."""

from pilotage.contrats.models import Contrat
from pilotage.demo.services import DEMO_PASSWORD, demo_load


def _form_data(page_html_client, url):
    """Reprend les valeurs du formulaire rendu, comme un navigateur qui enregistre sans rien changer."""
    from html.parser import HTMLParser

    class FormParser(HTMLParser):
        def __init__(self):
            super().__init__()
            self.data, self._textarea, self._select, self._selected = {}, None, None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and name != "csrfmiddlewaretoken":
                if a.get("type") in ("checkbox", "radio"):
                    if "checked" in a:
                        self.data.setdefault(name, []).append(a.get("value", "on"))
                elif a.get("type") != "file":
                    self.data[name] = a.get("value", "")
            elif tag == "textarea" and name:
                self._textarea = name
                self.data[name] = ""
            elif tag == "select" and name:
                self._select = name
                self.data[name] = ""
            elif tag == "option" and self._select and "selected" in a:
                self.data[self._select] = a.get("value", "")

        def handle_endtag(self, tag):
            if tag == "textarea":
                self._textarea = None
            if tag == "select":
                self._select = None

        def handle_data(self, data):
            if self._textarea:
                self.data[self._textarea] += data

    parser = FormParser()
    parser.feed(page_html_client.get(url).content.decode())
    for key, value in parser.data.items():
        if isinstance(value, str) and key in ("constat", "objectif_operationnel", "description"):
            parser.data[key] = value.lstrip("\n")
    return parser.data


def test_saving_a_fiche_with_a_national_indicator_keeps_the_link(db, client):
    """ValueError « must be a IndicateurNational instance » à l'enregistrement (corrigé)."""
    demo_load()
    contrat = Contrat.objects.get(departement__code="23")
    fiche = contrat.fiches.get(numero=2)
    national = fiche.indicateurs.get(indicateur_national__isnull=False)
    client.login(username="pilote.cd@demo.pilotage.test", password=DEMO_PASSWORD)
    url = f"/contrats/{contrat.pk}/fiches/2/modifier/"
    data = _form_data(client, url)
    data["objectif_operationnel"] = "Objectif reformulé"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    national.refresh_from_db()
    assert national.indicateur_national_id is not None
    fiche.refresh_from_db()
    assert fiche.objectif_operationnel == "Objectif reformulé"
