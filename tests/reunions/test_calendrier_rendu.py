"""Rangées du tableau de la vue calendaire et lignes de ses cellules écrites en Python
(reunions/calendrier/rendu.py) : même HTML, octet pour octet, que les gabarits qu'elles
remplacent, page et PDF ; textes échappés."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import Indicateur
from pilotage.core.models import Revision
from pilotage.reunions import services
from pilotage.reunions.calendrier import fiche_calendrier
from pilotage.reunions.calendrier.grille import Detail, Line
from pilotage.reunions.calendrier.rendu import lignes, rangees
from pilotage.reunions.views.calendrier import _with_lines
from pilotage.suivi.models import Releve, ValeurIndicateur
from pilotage.suivi.services import valeur_create
from tests.factories import UserFactory, grant, make_comite_suivi, make_fiche

#: La boucle de calendrier_corps.html avant que `rendu` n'écrive les rangées.
_GABARIT = """{% load pilotage %}{% for row in grille.rows %}
  <tr{% if pdf and row.court %} class="court"{% endif %}>
    <th scope="row"{% if not pdf %} class="cal-rubrique"{% endif %}>{{ row.label }}{% if row.hint %} <span class="cal-rubrique-precision">– {{ row.hint }}</span>{% endif %}</th>
    {% for cell in row.cells %}
      <td class="{% if not pdf %}cal-cellule {% endif %}cal-col--{{ cell.column.kind }}{% if not pdf and cell.has_news and cell.column.kind != 'initial' %} cal-cellule--nouveau{% endif %}">
        {% if cell.column.a_venir and not cell.has_news %}
          <p class="cal-a-venir">À venir</p>
        {% else %}
          {% if cell.decisions %}
            <div class="cal-decisions">
              <p class="cal-intertitre">Décision{{ cell.decisions|length|pluralize }} de la réunion</p>
              <ul>
                {% for item in cell.decisions %}
                  <li class="cal-decision">
                    {% if item.origine %}<span class="cal-origine">{{ item.origine }} :</span> {% endif %}<strong>{{ item.decision.texte|tronque:"decision" }}</strong>
                    <span class="cal-statut">({{ item.decision.get_categorie_display|lower }} – {{ item.statuts|join:", " }})</span>
                    {% if item.decision.porteur or item.decision.echeance %}<br><span class="cal-precision">{% if item.decision.porteur %}Portée par {{ item.decision.porteur }}{% endif %}{% if item.decision.porteur and item.decision.echeance %}, {% endif %}{% if item.decision.echeance %}pour le {{ item.decision.echeance|date:"d/m/Y" }}{% endif %}</span>{% endif %}
                  </li>
                {% endfor %}
              </ul>
            </div>
          {% endif %}
          {% if cell.show_state %}
            {% if cell.changed %}
              <p class="cal-intertitre">Changements :
                {% if cell.added %}{{ cell.added }} ajouté{{ cell.added|pluralize }}{% if cell.removed or cell.modified %}, {% endif %}{% endif %}{% if cell.removed %}{{ cell.removed }} retiré{{ cell.removed|pluralize }}{% if cell.modified %}, {% endif %}{% endif %}{% if cell.modified %}{{ cell.modified }} modifié{{ cell.modified|pluralize }}{% endif %}
              </p>
            {% endif %}
            {{ cell.lignes }}
          {% elif cell.column.kind != "initial" %}
            <p class="cal-inchange">Sans changement</p>
            {% if cell.lines and not pdf %}
              <details class="cal-etat">
                <summary>État à ce moment ({{ cell.lines|length }} ligne{{ cell.lines|length|pluralize }})</summary>
                {{ cell.lignes }}
              </details>
            {% endif %}
          {% endif %}
          {% if cell.releves %}
            <p class="cal-intertitre">Relevé{{ cell.releves|length|pluralize }} de la période</p>
            <ul class="cal-releves">
              {% for item in cell.releves %}
                <li>{% if pdf %}{{ item.text|tronque:"releve" }}{% else %}<a href="{% url 'suivi:releve' contrat.pk item.releve.pk %}">{{ item.text }}</a>{% endif %} <span class="cal-statut">({{ item.releve.get_statut_display|lower }})</span></li>
              {% endfor %}
            </ul>
          {% endif %}
          {% if cell.modifications %}
            <p class="cal-precision">{{ cell.modifications|join:" ; " }}</p>
          {% endif %}
        {% endif %}
      </td>
    {% endfor %}
  </tr>
{% endfor %}"""


#: calendrier_lignes.html, la liste des lignes d'une cellule, avant `rendu.lignes`.
_LIGNES_GABARIT = """{% comment %}Lignes d'une cellule de la vue calendaire (page et PDF). Variable : lines.
Rendu une fois par contenu distinct (`cell.lignes`, reunions/views/calendrier.py) : une
ligne sans changement répète la même liste de colonne en colonne.{% endcomment %}{% load pilotage %}
{% if lines %}
  <ul class="cal-lignes">
    {% for line in lines %}
      <li class="cal-ligne cal-ligne--{{ line.status }}">
        {% if line.status_label %}<span class="cal-marque cal-marque--{{ line.status }}">{{ line.status_label }}</span> {% endif %}{% if line.status == "removed" %}<del>{{ line.text|tronque }}</del>{% else %}{{ line.text|tronque }}{% endif %}
        {% if line.status == "modified" %}<span class="cal-avant">(avant : {{ line.avant|tronque }})</span>{% endif %}
        {% for detail in line.details %}<br><span class="cal-valeur">{{ detail.text|tronque }}{% if detail.new %} <span class="cal-marque cal-marque--nouvelle">nouvelle</span>{% endif %}</span>{% endfor %}
      </li>
    {% endfor %}
  </ul>
{% else %}
  <p class="cal-vide">Non renseigné</p>
{% endif %}
"""


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def modify(fiche, user, when, **lists):
    fiche.refresh_from_db()
    contrats_services.fiche_update(fiche=fiche, user=user, expected_version=fiche.version, **lists)
    revision = Revision.objects.for_object(fiche).order_by("-pk").first()
    Revision.objects.filter(pk=revision.pk).update(created_at=when)


def rows_of(fiche, record) -> list[dict]:
    fiche.refresh_from_db()
    fields = contrats_services.FICHE_LISTS[record][1]
    return [
        {"id": obj.pk, **{f: getattr(obj, f) for f in fields}}
        for obj in getattr(fiche, record).all()
    ]


@pytest.fixture
def grille(contrat):
    """Une fiche qui a vécu : réunions passées et à venir, lignes ajoutées, modifiées et
    retirées, décisions (avec porteur, échéance, texte à échapper, transfert reçu), valeurs
    et relevés (situation à échapper)."""
    pilote = UserFactory()
    grant(pilote, contrat)
    fiche = make_fiche(contrat, 1, user=pilote)
    autre = make_fiche(contrat, 2, user=pilote)
    r1 = make_comite_suivi(contrat, pilote, days_ago(300))
    r2 = make_comite_suivi(contrat, pilote, days_ago(60))
    make_comite_suivi(contrat, pilote, timezone.now() + datetime.timedelta(days=40))
    acteurs = rows_of(fiche, "acteurs")
    acteurs[0]["implication"] = "copilote <b>&</b>"
    vigilance = [{"libelle": "Rotation des équipes <script>"}]
    modify(fiche, pilote, days_ago(200), acteurs=acteurs, points_vigilance=vigilance)
    decision = services.decision_create(
        point=r1.points.get(fiche=fiche),
        auteur=pilote,
        fields={
            "categorie": "acteurs",
            "texte": "Associer <em>la CAF</em> & l'ARS",
            "porteur": "PMI <b>",
            "echeance": datetime.date(2026, 6, 30),
            "changement": {"action": "ajouter_acteur", "nom": 'CAF "Creuse"'},
        },
    )
    services.decision_apply(decision=decision, user=pilote)
    services.decision_close(
        decision=services.decision_create(
            point=r2.points.get(fiche=fiche),
            auteur=pilote,
            fields={"categorie": "calendrier", "texte": "Reporter le lancement"},
        ),
        user=pilote,
    )
    transfert = services.decision_create(
        point=r2.points.get(fiche=autre),
        auteur=pilote,
        fields={
            "categorie": "moyens",
            "texte": "Redéployer 5 000 € vers la fiche 1",
            "changement": {
                "action": "transferer",
                "vers_fiche": 1,
                "montant": "5000",
                "financeur": "etat",
                "annee": 2026,
            },
        },
    )
    services.decision_apply(decision=transfert, user=pilote)
    for annee, valeur, days in ((2024, 40, 5), (2025, 55, 200)):
        v = valeur_create(
            indicateur=fiche.indicateurs.get(), user=None, annee=annee, valeur=Decimal(valeur)
        )
        ValeurIndicateur.objects.filter(pk=v.pk).update(created_at=days_ago(days))
    qualitatif = Indicateur.objects.create(fiche=fiche, nature="qualitatif", libelle="Qualité")
    for statut, days in ((Releve.Statut.PARTAGE, 320), (Releve.Statut.VALIDE, 100)):
        Releve.objects.create(
            fiche=fiche,
            indicateur=qualitatif,
            date_observation=timezone.localdate() - datetime.timedelta(days=days),
            situation="Entretien <i>familles</i> & « suite »",
            questions="q",
            faits="f",
            statut=statut,
            auteur=pilote,
            institution=pilote.institution,
        )
    modify(fiche, pilote, days_ago(2), points_vigilance=[])  # colonne « Aujourd'hui »
    fiche = type(fiche).objects.select_related("contrat__generation").get(pk=fiche.pk)
    return _with_lines(fiche_calendrier(fiche, viewer=pilote))


def test_the_rows_are_the_html_of_the_former_template_loop_on_the_page_and_in_the_pdf(
    contrat, grille
):
    kinds = {column.kind for column in grille.columns}
    assert kinds == {"initial", "reunion", "aujourdhui", "a_venir"}
    cells = [cell for row in grille.rows for cell in row.cells]
    assert any(cell.decisions for cell in cells) and any(cell.releves for cell in cells)
    assert any(item.origine for cell in cells for item in cell.decisions)
    template = Template(_GABARIT)
    for pdf in (False, True):
        expected = template.render(Context({"grille": grille, "contrat": contrat, "pdf": pdf}))
        html = rangees(grille, pdf=pdf, contrat_pk=contrat.pk)
        assert html == expected
        assert "&lt;em&gt;la CAF&lt;/em&gt; &amp; l&#x27;ARS" in html
        assert "Portée par PMI &lt;b&gt;, pour le 30/06/2026" in html
        assert "Entretien &lt;i&gt;familles&lt;/i&gt;" in html
        assert "<script>" not in html and "<em>" not in html
    assert 'class="court"' in html and "/releves/" not in html


def test_the_lines_of_a_cell_are_the_html_of_the_former_template(grille):
    template = Template(_LIGNES_GABARIT)
    cells = [cell for row in grille.rows for cell in row.cells]
    long_old = "Comité de pilotage réuni chaque trimestre avec la CAF " * 2
    extra = [
        [],
        [
            Line("Acteur <b>&</b>", status="added"),
            Line("Retiré « x »", status="removed"),
            Line(long_old + "et l'ARS", status="modified", old=long_old + "et <i>"),
            Line("Indicateur", details=[Detail("Dernière valeur : 4 <2>", new=True), Detail("x")]),
        ],
    ]
    statuses = {line.status for cell in cells for line in cell.lines}
    assert statuses == {"same", "added", "removed", "modified"}
    for lines in [cell.lines for cell in cells] + extra:
        assert lignes(lines) == template.render(Context({"lines": lines}))
    html = lignes(extra[1])
    assert "Acteur &lt;b&gt;&amp;&lt;/b&gt;" in html and "(avant : … " in html
    assert "4 &lt;2&gt; <span" in html
