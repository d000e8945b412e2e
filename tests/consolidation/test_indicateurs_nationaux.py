"""Indicateurs nationaux comparés entre départements (issue 15) : qui voit quoi, les
chiffres (médiane, quartiles, manquants, valeurs à vérifier), les exports relus, un
nombre de requêtes qui ne croît pas avec le nombre de contrats."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from pilotage.comptes.models import User
from pilotage.consolidation import comparaison as comp
from pilotage.contrats.models import Contrat, Indicateur
from pilotage.referentiel.models import IndicateurNational
from pilotage.referentiel.unites import Unite
from pilotage.suivi.services import valeur_create
from pilotage.territoires.models import Departement, Region
from tests.factories import ContratFactory, UserFactory, grant, make_fiche

pytestmark = pytest.mark.django_db

#: Quelques départements de Nouvelle-Aquitaine (dont la Creuse et la Corrèze) et d'ailleurs.
NOUVELLE_AQUITAINE = ["19", "23", "87", "24", "33", "40"]
AILLEURS = ["41", "75"]


@pytest.fixture
def national_rate(generation):
    return IndicateurNational.objects.create(
        generation=generation,
        libelle="Taux de test des bilans de santé réalisés (inventé)",
        unite=Unite.POURCENTAGE,
    )


def _contrat_with_value(code, indicateur_national, *values, generation=None):
    """Un contrat signé du département `code`, une fiche, un indicateur rattaché à
    l'indicateur national, et ses valeurs datées (année, valeur)."""
    contrat = ContratFactory(departement=Departement.objects.get(code=code))
    fiche = make_fiche(contrat)
    indicateur = Indicateur.objects.create(
        fiche=fiche,
        nature=Indicateur.Nature.QUANTITATIF,
        libelle="Bilans de santé (inventé)",
        indicateur_national=indicateur_national,
        unite=indicateur_national.unite,
    )
    for annee, valeur in values:
        valeur_create(
            indicateur=indicateur, user=None, annee=annee, valeur=Decimal(valeur), source="Test"
        )
    return contrat


def _six_departements(indicateur_national):
    """Six départements de Nouvelle-Aquitaine, dont la Creuse ; le dernier (Landes) à 140 %."""
    values = ("50", "52", "54", "55", "57", "140")
    for code, value in zip(NOUVELLE_AQUITAINE, values, strict=True):
        _contrat_with_value(code, indicateur_national, (2025, value))


def _national():
    return UserFactory(perimetre=User.Perimetre.NATIONAL)


def _regional(code_region_of="23"):
    region = Departement.objects.get(code=code_region_of).region
    return UserFactory(perimetre=User.Perimetre.REGIONAL, region=region)


def _url(name, **kwargs):
    return reverse(f"consolidation:{name}", kwargs=kwargs)


# --- Qui voit quoi ---------------------------------------------------------------------


def test_a_departement_pilot_cannot_compare_departements(client, national_rate):
    contrat = _contrat_with_value("23", national_rate, (2025, "50"))
    pilote = UserFactory()
    grant(pilote, contrat)
    client.force_login(pilote)
    assert client.get(_url("indicateurs")).status_code == 403
    assert client.get(_url("indicateur", pk=national_rate.pk)).status_code == 403
    assert client.get(_url("tableau_de_bord", fmt="xlsx")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, national_rate):
    response = client.get(_url("indicateur", pk=national_rate.pk))
    assert response.status_code == 302
    assert reverse("comptes:login") in response["Location"]


def test_the_regional_level_compares_only_the_departements_of_its_region(national_rate):
    _contrat_with_value("23", national_rate, (2025, "50"))
    _contrat_with_value("41", national_rate, (2025, "70"))
    user = _regional("23")
    result = comp.comparaison_for([national_rate], user=user, region=comp.perimetre(user))
    comparaison = result[national_rate.pk]
    assert [g.region for g in comparaison.regions] == [user.region]
    codes = {ligne.departement.code for ligne in comparaison.lignes}
    assert codes == set(user.region.departements.values_list("code", flat=True))
    assert "41" not in codes
    assert comparaison.stats.n == 1


def test_the_national_level_lists_all_departements_with_missing_ones_counted(national_rate):
    _contrat_with_value("23", national_rate, (2025, "50"))
    _contrat_with_value("41", national_rate, (2025, "70"))
    comparaison = comp.comparaison_for([national_rate], user=_national(), region=None)[
        national_rate.pk
    ]
    assert len(comparaison.lignes) == Departement.objects.count()
    assert comparaison.stats.n == 2
    assert comparaison.manquantes == Departement.objects.count() - 2
    assert len(comparaison.regions) == Region.objects.count()


def test_a_contract_of_another_region_does_not_leak_to_a_regional_user(national_rate):
    _contrat_with_value("41", national_rate, (2025, "70"))
    user = _regional("23")
    assert comp.perimetre(user) == user.region
    lignes = comp.comparaison_for([national_rate], user=user, region=user.region)[
        national_rate.pk
    ].lignes
    assert all(ligne.manquante for ligne in lignes)


# --- Les chiffres ----------------------------------------------------------------------


def test_statistics_give_median_and_inclusive_quartiles():
    stats = comp.Stats.of([Decimal(v) for v in ("10", "20", "30", "40", "50")])
    assert (stats.n, stats.mediane, stats.q1, stats.q3) == (
        5,
        Decimal("30.00"),
        Decimal("20.00"),
        Decimal("40.00"),
    )
    assert stats.fences() == (Decimal("-10.00"), Decimal("70.00"))


def test_statistics_of_few_values_have_no_fences():
    assert comp.Stats.of([Decimal(1), Decimal(2)]).fences() is None
    assert comp.Stats.of([]).mediane is None


def test_the_latest_value_of_each_departement_is_compared(national_rate):
    _contrat_with_value("23", national_rate, (2025, "10"), (2026, "60"))
    comparaison = comp.comparaison_for([national_rate], user=_national(), region=None)[
        national_rate.pk
    ]
    creuse = next(ligne for ligne in comparaison.lignes if ligne.departement.code == "23")
    assert (creuse.valeur, creuse.annee, creuse.source) == (Decimal("60"), 2026, "Test")
    assert creuse.a_contrat


def test_a_rate_above_100_and_a_far_value_are_flagged(national_rate):
    _six_departements(national_rate)
    comparaison = comp.comparaison_for([national_rate], user=_national(), region=None)[
        national_rate.pk
    ]
    flagged = {ligne.departement.code: ligne.alertes for ligne in comparaison.lignes}
    assert flagged["40"] == [comp.ALERTE_TAUX, comp.ALERTE_LOIN]
    assert flagged["19"] == []
    assert comparaison.alertes == 1


def test_a_negative_count_is_flagged(generation):
    count = IndicateurNational.objects.create(
        generation=generation, libelle="Nombre de test (inventé)", unite=Unite.NOMBRE
    )
    _contrat_with_value("23", count, (2025, "-3"))
    lignes = comp.comparaison_for([count], user=_national(), region=None)[count.pk].lignes
    assert next(x for x in lignes if x.departement.code == "23").alertes == [comp.ALERTE_NEGATIVE]


# --- Pages et exports ------------------------------------------------------------------


def test_the_comparison_page_shows_the_figure_and_the_table(client, national_rate):
    _six_departements(national_rate)
    client.force_login(_national())
    response = client.get(_url("indicateur", pk=national_rate.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html
    assert "Creuse" in html
    assert comp.ALERTE_TAUX in html


def test_the_list_links_each_national_indicator(client, national_rate):
    client.force_login(_regional())
    response = client.get(_url("indicateurs"))
    assert response.status_code == 200
    assert _url("indicateur", pk=national_rate.pk) in response.content.decode()


def test_an_unknown_generation_or_format_is_not_found(client, national_rate):
    client.force_login(_national())
    assert client.get(_url("indicateurs") + "?generation=1999").status_code == 404
    assert client.get(_url("tableau_de_bord", fmt="docx")).status_code == 404


def test_the_dashboard_workbook_holds_every_departement_value(client, national_rate):
    _contrat_with_value("23", national_rate, (2025, "50"))
    _contrat_with_value("41", national_rate, (2025, "70"))
    client.force_login(_national())
    response = client.get(_url("indicateur_export", pk=national_rate.pk, fmt="xlsx"))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Synthèse", "Par région", "Valeurs par département"]
    rows = [[c for c in row] for row in book["Valeurs par département"].iter_rows(values_only=True)]
    texts = [" ".join(str(c) for c in row if c is not None) for row in rows]
    creuse = next(t for t in texts if "Creuse" in t)
    assert "50" in creuse
    assert len([t for t in texts if t]) >= Departement.objects.count()


def test_the_dashboard_exists_in_opendocument(client, national_rate):
    client.force_login(_national())
    response = client.get(_url("tableau_de_bord", fmt="ods"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert b"application/vnd.oasis.opendocument.spreadsheet" in response.content[:200]


@pytest.mark.parametrize("name", ["indicateurs", "indicateur"])
def test_page_queries_do_not_grow_with_the_contracts(
    client, national_rate, django_assert_max_num_queries, name
):
    client.force_login(_national())
    url = _url(name, pk=national_rate.pk) if name == "indicateur" else _url(name)
    _contrat_with_value("23", national_rate, (2025, "50"))
    _contrat_with_value("41", national_rate, (2025, "70"))
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for code in NOUVELLE_AQUITAINE[2:]:
        _contrat_with_value(code, national_rate, (2024, "30"), (2025, "40"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    assert Contrat.objects.count() == 6


def test_the_main_menu_offers_the_comparison_to_regional_and_national_levels_only(client):
    url = _url("indicateurs")
    for user, shown in ((_national(), True), (_regional(), True), (UserFactory(), False)):
        client.force_login(user)
        assert (url in client.get(reverse("contrats:accueil")).content.decode()) is shown


# --- Tableau écrit en Python (comparaison_tableau) -------------------------------------

#: Le gabarit que `comparaison_tableau` remplace, rangée par rangée.
_RANGEES_GABARIT = """{% load dsfr_tags %}{% for ligne in lignes %}
          <tr>
            <th scope="row">{{ ligne.departement.nom }} ({{ ligne.departement.code }})</th>
            {% if ligne.manquante %}
              <td colspan="2">{% if ligne.a_contrat %}Valeur manquante{% else %}Valeur manquante (aucun contrat de ce référentiel){% endif %}</td><td>—</td><td>—</td>
            {% else %}
              <td>{{ ligne.periode }}</td><td>{{ ligne.texte }}</td><td>{{ ligne.source|default:"—" }}</td>
              <td>{% for alerte in ligne.alertes %}{% dsfr_badge label=alerte extra_classes="fr-badge--warning fr-badge--sm" %} {% empty %}—{% endfor %}</td>
            {% endif %}
          </tr>
        {% endfor %}"""


def test_the_table_rows_are_the_template_s_with_database_text_escaped(national_rate):
    from django.template import Context, Template

    from pilotage.consolidation.comparaison_tableau import blocs

    _six_departements(national_rate)
    _contrat_with_value("41", national_rate)  # un contrat sans valeur
    creuse = Departement.objects.get(code="23")
    creuse.nom = 'Creuse <b>"l\'île"</b> & co'
    creuse.save()
    comparaison = comp.comparaison_for([national_rate], user=_national(), region=None)[
        national_rate.pk
    ]
    ligne = next(x for x in comparaison.lignes if x.departement.code == "24")
    ligne.source = "<script>alert('x')</script>"
    ligne.alertes = [comp.ALERTE_NEGATIVE, "<i>à vérifier</i>"]
    next(x for x in comparaison.lignes if x.departement.code == "33").source = ""
    template = Template(_RANGEES_GABARIT)
    rendered = blocs(comparaison)
    assert [groupe for groupe, _ in rendered] == comparaison.regions
    for groupe, rangees in rendered:
        assert rangees == template.render(Context({"lignes": groupe.lignes}))
    html = "".join(rangees for _, rangees in rendered)
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "Creuse &lt;b&gt;&quot;l&#x27;île&quot;&lt;/b&gt; &amp; co" in html
    assert "Valeur manquante (aucun contrat de ce référentiel)" in html
    assert ">Valeur manquante<" in html


#: Le gabarit du graphique avant que `graphique` n'écrive ses lignes.
_GRAPHIQUE_GABARIT = """{% load l10n %}{% localize off %}
<svg class="graphique" viewBox="0 0 {{ g.width }} {{ g.height }}" width="100%" role="img" aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">
  <text x="{{ g.left }}" y="11" font-size="11" fill="#3a3a3a">{{ g.axe }}</text>
  {% for tick in g.ticks %}
    <line x1="{{ tick.x }}" y1="16" x2="{{ tick.x }}" y2="{{ g.bottom }}" stroke="#ddd" stroke-width="1"/>
    <text x="{{ tick.x }}" y="{{ g.bottom|add:'8' }}" text-anchor="middle" font-size="10" fill="#3a3a3a">{{ tick.text }}</text>
  {% endfor %}
  {% for row in g.rows %}
    <text x="{{ g.left|add:'-8' }}" y="{{ row.mid|add:'4' }}" text-anchor="end" font-size="12" fill="#161616"{% if forloop.first %} font-weight="bold"{% endif %}>{{ row.label|truncatechars:34 }}</text>
    {% if row.box %}<rect x="{{ row.box.x }}" y="{{ row.y|add:'5' }}" width="{{ row.box.w }}" height="16" fill="#e3e3fd" stroke="#000091" stroke-width="1"/>{% endif %}
    {% if row.mediane_x %}<line x1="{{ row.mediane_x }}" y1="{{ row.y|add:'3' }}" x2="{{ row.mediane_x }}" y2="{{ row.y|add:'23' }}" stroke="#000091" stroke-width="3"/>{% endif %}
    {% for p in row.points %}<circle cx="{{ p.x }}" cy="{{ row.mid }}" r="3.5" fill="{% if p.alerte %}#ce0500{% else %}#161616{% endif %}" fill-opacity="0.8"/>{% endfor %}
  {% endfor %}
</svg>
{% endlocalize %}
"""


def test_the_figure_is_the_template_s_with_region_names_escaped(national_rate):
    from django.template import Context, Template
    from django.template.loader import render_to_string

    from pilotage.consolidation.graphique import graphique

    _six_departements(national_rate)
    _contrat_with_value("41", national_rate, (2025, "61.5"))  # seul de sa région : pas de boîte
    region = Departement.objects.get(code="23").region
    region.nom = "Nouvelle-<Aquitaine> & « Poitou-Charentes-Limousin » d'abord"
    region.save()
    comparaison = comp.comparaison_for([national_rate], user=_national(), region=None)[
        national_rate.pk
    ]
    g = graphique(comparaison)
    assert any("box" not in row and row["points"] for row in g["rows"])
    new = render_to_string("consolidation/includes/comparaison_graphique.html", {"g": g})
    assert new == Template(_GRAPHIQUE_GABARIT).render(Context({"g": g}))
    assert "Nouvelle-&lt;Aquitaine&gt; &amp; « Poitou-C…<" in new
    assert 'fill="#ce0500"' in new
