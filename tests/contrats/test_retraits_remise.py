"""« Remettre en service » une ligne retirée de la fiche (acteur, étape, indicateur) :
réservé à qui peut modifier la fiche, inscrit dans l'historique, en place par HTMX et sans
JavaScript ; badge « Retiré le … » et bouton sur la page de la fiche."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pilotage.contrats.models import Habilitation, Indicateur, today
from pilotage.contrats.services import fiche_update, ligne_remettre_en_service
from pilotage.core.models import Revision
from pilotage.suivi.services import valeur_create
from tests.contrats.helpers import existing_rows
from tests.factories import UserFactory, grant
from tests.htmx import assert_htmx_swap_matches_full_render, parse_page

HTMX = {"HTTP_HX_REQUEST": "true"}
RETIRE = datetime.date(2026, 3, 2)


@pytest.fixture
def retire(fiche, pilote):
    """L'indicateur de la fiche, suivi (une valeur) puis retiré par le formulaire."""
    indicateur = fiche.indicateurs.get()
    valeur_create(indicateur=indicateur, user=pilote, annee=2025, valeur=Decimal("4"))
    fiche_update(fiche=fiche, user=pilote, expected_version=fiche.version, indicateurs=[])
    indicateur.refresh_from_db()
    assert indicateur.retire_le == today()
    fiche.refresh_from_db()
    return indicateur


def _url(fiche, relation, pk):
    return reverse(
        "contrats:ligne_remettre_en_service", args=[fiche.contrat_id, fiche.numero, relation, pk]
    )


def _page(fiche):
    return reverse("contrats:fiche", args=[fiche.contrat_id, fiche.numero])


def test_a_pilot_puts_a_withdrawn_indicator_back_in_service_and_history_says_so(
    fiche, pilote, retire
):
    ligne = ligne_remettre_en_service(
        fiche=fiche, user=pilote, relation="indicateurs", ligne_id=retire.pk
    )
    assert ligne.retire_le is None
    assert ligne.valeurs.count() == 1
    revision = Revision.objects.for_object(fiche).first()
    assert revision.comment == "Remise en service (indicateur) : « Nombre d'EPP réalisés »"
    assert revision.user == pilote
    [change] = revision.changes.filter(field="indicateurs")
    assert change.old_value == f"Nombre d'EPP réalisés [retiré le {today():%d/%m/%Y}]"
    assert change.new_value == "Nombre d'EPP réalisés"


def test_a_withdrawn_actor_or_milestone_can_be_put_back_too(fiche, pilote):
    acteur = fiche.acteurs.first()
    jalon = fiche.jalons.get()
    fiche.acteurs.filter(pk=acteur.pk).update(retire_le=RETIRE)
    fiche.jalons.filter(pk=jalon.pk).update(retire_le=RETIRE)
    ligne_remettre_en_service(fiche=fiche, user=pilote, relation="acteurs", ligne_id=acteur.pk)
    ligne_remettre_en_service(fiche=fiche, user=pilote, relation="jalons", ligne_id=jalon.pk)
    acteur.refresh_from_db()
    jalon.refresh_from_db()
    assert (acteur.retire_le, jalon.retire_le) == (None, None)
    assert [a.nom for a in fiche.acteurs.all()] == ["CH", "ARS"]  # l'ordre est gardé


@pytest.mark.parametrize(
    "role", [Habilitation.Role.LECTEUR, Habilitation.Role.CONTRIBUTEUR, Habilitation.Role.REFERENT]
)
def test_only_someone_allowed_to_edit_the_fiche_may_put_a_line_back(contrat, fiche, retire, role):
    user = UserFactory()
    grant(user, contrat, role)  # un référent non désigné sur la fiche ne la modifie pas
    version = Indicateur.objects.get(pk=retire.pk).fiche.version
    with pytest.raises(PermissionDenied):
        ligne_remettre_en_service(
            fiche=fiche, user=user, relation="indicateurs", ligne_id=retire.pk
        )
    retire.refresh_from_db()
    assert retire.retire_le is not None
    assert retire.fiche.version == version


def test_a_designated_referent_may_put_a_line_back(contrat, fiche, retire):
    user = UserFactory()
    grant(user, contrat, Habilitation.Role.REFERENT)
    fiche.referents.add(user)
    ligne = ligne_remettre_en_service(
        fiche=fiche, user=user, relation="indicateurs", ligne_id=retire.pk
    )
    assert ligne.retire_le is None


def test_a_line_in_service_or_of_another_fiche_is_refused_and_nothing_written(
    contrat, fiche, pilote
):
    from tests.factories import make_fiche

    other = make_fiche(contrat, numero=2).indicateurs.get()
    Indicateur.objects.filter(pk=other.pk).update(retire_le=RETIRE)
    revisions = Revision.objects.count()
    with pytest.raises(ValidationError, match="déjà en service"):
        ligne_remettre_en_service(
            fiche=fiche, user=pilote, relation="indicateurs", ligne_id=fiche.indicateurs.get().pk
        )
    with pytest.raises(ValidationError, match="n'appartient pas"):
        ligne_remettre_en_service(
            fiche=fiche, user=pilote, relation="indicateurs", ligne_id=other.pk
        )
    with pytest.raises(ValidationError):
        ligne_remettre_en_service(fiche=fiche, user=pilote, relation="financements", ligne_id=1)
    assert Revision.objects.count() == revisions


def test_the_fiche_page_shows_the_withdrawal_badge_and_the_button_to_editors_only(
    client, contrat, fiche, pilote, retire
):
    lecteur = UserFactory()
    grant(lecteur, contrat, Habilitation.Role.LECTEUR)
    client.force_login(lecteur)
    page = parse_page(client.get(_page(fiche)))
    [badge] = page.xpath("//span[contains(@class, 'fr-badge')][contains(@class, 'retrait')]")
    assert badge.text_content().strip() == f"Retiré le {today():%d/%m/%Y}"
    assert not page.xpath("//form[contains(@class, 'remise-en-service')]")
    client.force_login(pilote)
    page = parse_page(client.get(_page(fiche)))
    [form] = page.xpath("//form[contains(@class, 'remise-en-service')]")
    assert form.get("action") == _url(fiche, "indicateurs", retire.pk)
    assert "Remettre en service" in form.text_content()


def test_putting_back_with_htmx_swaps_the_fiche_in_place_like_a_full_render(
    client, fiche, pilote, retire
):
    client.force_login(pilote)
    before = client.get(_page(fiche))
    address = _url(fiche, "indicateurs", retire.pk)
    response = client.post(address, **HTMX)
    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == []
    [annonce] = parse_page(response).xpath("//*[@id='remise-annonce']")
    assert annonce.get("role") == "status"
    assert "« Nombre d'EPP réalisés » est remis en service." in annonce.text_content()
    assert_htmx_swap_matches_full_render(
        before,
        f"//form[@hx-post='{address}']",
        response,
        client.get(_page(fiche)),
        transient=["#remise-annonce"],
    )
    retire.refresh_from_db()
    assert retire.retire_le is None


def test_putting_back_without_javascript_redirects_to_the_fiche_with_a_message(
    client, fiche, pilote, retire
):
    client.force_login(pilote)
    response = client.post(_url(fiche, "indicateurs", retire.pk), follow=True)
    assert response.redirect_chain == [(_page(fiche), 302)]
    assert "« Nombre d'EPP réalisés » est remis en service." in response.content.decode()
    assert "Remettre en service" not in response.content.decode()


def test_the_view_answers_403_to_a_reader_and_404_to_an_unknown_list(
    client, contrat, fiche, retire
):
    lecteur = UserFactory()
    grant(lecteur, contrat, Habilitation.Role.LECTEUR)
    client.force_login(lecteur)
    assert client.post(_url(fiche, "indicateurs", retire.pk)).status_code == 403
    assert client.post(_url(fiche, "financements", 1)).status_code == 404
    assert client.get(_url(fiche, "indicateurs", retire.pk)).status_code == 405
    retire.refresh_from_db()
    assert retire.retire_le is not None


def test_a_stale_button_shows_an_error_in_place(client, fiche, pilote, retire):
    client.force_login(pilote)
    ligne_remettre_en_service(fiche=fiche, user=pilote, relation="indicateurs", ligne_id=retire.pk)
    response = client.post(_url(fiche, "indicateurs", retire.pk), **HTMX)
    assert response.status_code == 400
    [erreur] = parse_page(response).xpath("//*[@id='remise-annonce']")
    assert "déjà en service" in erreur.text_content()


def test_rows_sent_by_the_form_keep_a_withdrawn_line_withdrawn(fiche, pilote, retire):
    fiche_update(
        fiche=fiche,
        user=pilote,
        expected_version=fiche.version,
        indicateurs=existing_rows(fiche, "indicateurs"),
    )
    retire.refresh_from_db()
    assert retire.retire_le is not None


def test_the_edit_form_shows_a_withdrawn_line_with_its_badge_and_where_to_put_it_back(
    client, fiche, pilote, retire
):
    client.force_login(pilote)
    page = parse_page(
        client.get(reverse("contrats:fiche_edit", args=[fiche.contrat_id, fiche.numero]))
    )
    [ligne] = page.xpath("//p[contains(@class, 'ligne-retiree')]")
    assert f"Retiré le {today():%d/%m/%Y}" in ligne.text_content()
    [lien] = ligne.xpath(".//a")
    assert lien.get("href") == _page(fiche) + "#fiche-officielle"
    # seule la ligne retirée est signalée (acteurs, étape en service : aucun badge)
    assert len(page.xpath("//*[contains(@class, 'retrait')]")) == 1
