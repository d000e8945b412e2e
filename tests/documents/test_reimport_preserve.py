"""Réimport d'un document dans un contrat suivi : les lignes qui portent un suivi (valeurs,
relevés) ne sont jamais supprimées ; l'aperçu les signale et propose de les conserver ou
de les marquer comme retirées, avec leur trace dans l'historique de la fiche."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pilotage.contrats.models import Indicateur
from pilotage.core.models import Revision
from pilotage.documents.importer import parse_document
from pilotage.documents.services import fiches_import
from pilotage.suivi.models import Releve, ValeurIndicateur
from pilotage.suivi.services import releve_create, valeur_create
from tests.documents.docx_builder import FicheSpec, build_docx
from tests.factories import ContratFactory, UserFactory, grant
from tests.htmx import parse_page


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def contrat(db, creuse_docx, media):
    """Un contrat où le document de la Creuse a été importé une première fois."""
    contrat = ContratFactory()
    fiches_import(contrat=contrat, result=_result(creuse_docx), user=None, filename="v1.docx")
    return contrat


@pytest.fixture
def pilote(contrat):
    user = UserFactory()
    grant(user, contrat)
    return user


def _result(data):
    return parse_document(data, filename="fiches-creuse.docx")


def _without_first_indicator(data, nature="quantitatif"):
    """Le même document, sans le premier indicateur de cette nature de la fiche n°1."""
    result = _result(data)
    lines = getattr(result.fiches[0], f"indicateurs_{nature}s")
    removed = lines.pop(0)
    return result, removed


def _indicateur(contrat, nature):
    return contrat.fiches.get(numero=1).indicateurs.filter(nature=nature).first()


def _valeur(indicateur, user=None):
    return valeur_create(indicateur=indicateur, user=user, annee=2025, valeur=Decimal("12"))


def _releve(indicateur, user):
    return releve_create(
        fiche=indicateur.fiche,
        user=user,
        indicateur=indicateur,
        date_observation=datetime.date(2025, 6, 1),
        situation="Entretien",
        questions="Questions de test",
        faits="Faits de test, inventés",
    )


def test_reimport_without_an_indicator_that_has_a_releve_does_not_fail(
    contrat, pilote, creuse_docx
):
    qualitatif = _indicateur(contrat, Indicateur.Nature.QUALITATIF)
    _releve(qualitatif, pilote)
    result, _removed = _without_first_indicator(creuse_docx, "qualitatif")
    fiches_import(contrat=contrat, result=result, user=pilote, filename="v2.docx")
    assert Releve.objects.filter(indicateur=qualitatif).count() == 1
    assert Indicateur.objects.filter(pk=qualitatif.pk).exists()


def test_reimport_without_an_indicator_that_has_values_keeps_it_and_its_values(
    contrat, creuse_docx
):
    indicateur = _indicateur(contrat, Indicateur.Nature.QUANTITATIF)
    _valeur(indicateur)
    result, _removed = _without_first_indicator(creuse_docx)
    outcome = fiches_import(contrat=contrat, result=result, user=None, filename="v2.docx")
    indicateur.refresh_from_db()
    assert indicateur.retire_le is None  # « Conserver » par défaut
    assert ValeurIndicateur.objects.filter(indicateur=indicateur).count() == 1
    assert outcome.counts["inchangee"] == 17


def test_preview_lists_the_absent_items_that_carry_follow_up_data(contrat, creuse_docx):
    indicateur = _indicateur(contrat, Indicateur.Nature.QUANTITATIF)
    _valeur(indicateur)
    _valeur(indicateur)
    result, _removed = _without_first_indicator(creuse_docx)
    outcome = fiches_import(
        contrat=contrat, result=result, user=None, filename="v2.docx", dry_run=True
    )
    [absent] = outcome.absents
    assert absent.fiche_numero == 1
    assert absent.relation == "indicateurs"
    assert absent.pk == indicateur.pk
    assert absent.libelle == indicateur.libelle
    assert absent.suivi == "2 valeurs d'indicateurs"
    assert absent.key == f"retrait-indicateurs-{indicateur.pk}"
    assert [o.absents for o in outcome.fiches if o.numero == 1] == [[absent]]


def test_items_without_follow_up_data_are_still_deleted(contrat, creuse_docx):
    indicateur = _indicateur(contrat, Indicateur.Nature.QUANTITATIF)
    result, _removed = _without_first_indicator(creuse_docx)
    outcome = fiches_import(contrat=contrat, result=result, user=None, filename="v2.docx")
    assert not Indicateur.objects.filter(pk=indicateur.pk).exists()
    assert outcome.absents == []


def test_marking_an_absent_indicator_as_withdrawn_dates_it_and_records_it_in_the_history(
    contrat, pilote, creuse_docx
):
    indicateur = _indicateur(contrat, Indicateur.Nature.QUANTITATIF)
    _valeur(indicateur)
    result, _removed = _without_first_indicator(creuse_docx)
    outcome = fiches_import(
        contrat=contrat,
        result=result,
        user=pilote,
        filename="v2.docx",
        retraits={f"retrait-indicateurs-{indicateur.pk}"},
    )
    indicateur.refresh_from_db()
    assert indicateur.retire_le is not None
    assert ValeurIndicateur.objects.filter(indicateur=indicateur).count() == 1
    assert outcome.counts["mise_a_jour"] == 1
    revision = Revision.objects.for_object(indicateur.fiche).first()
    assert revision.source == Revision.Source.IMPORT
    [change] = [c for c in revision.changes.all() if c.field == "indicateurs"]
    assert f"[retiré le {indicateur.retire_le:%d/%m/%Y}]" in change.new_value
    assert "retiré" not in change.old_value


def test_a_withdrawal_key_of_an_item_still_in_the_document_or_forged_changes_nothing(
    contrat, creuse_docx
):
    listed = _indicateur(contrat, Indicateur.Nature.QUANTITATIF)
    _valeur(listed)
    outcome = fiches_import(
        contrat=contrat,
        result=_result(creuse_docx),
        user=None,
        filename="v2.docx",
        retraits={f"retrait-indicateurs-{listed.pk}", "retrait-fiches-1", "n'importe quoi"},
    )
    assert outcome.counts["inchangee"] == 17
    listed.refresh_from_db()
    assert listed.retire_le is None


# --- aperçu et confirmation dans le navigateur (client de test) -----------------------


def _small_docx(indicateurs):
    return build_docx(FicheSpec(numero=1, indicateurs_quantitatifs=indicateurs))


@pytest.fixture
def suivi_contrat(db, media):
    """Un contrat dont la fiche n°1 a deux indicateurs, le second avec une valeur."""
    contrat = ContratFactory()
    data = _small_docx(["Nombre de VAD", "Nombre de visites"])
    fiches_import(contrat=contrat, result=_result(data), user=None, filename="v1.docx")
    suivi = contrat.fiches.get(numero=1).indicateurs.get(libelle="Nombre de visites")
    _valeur(suivi)
    return contrat, suivi


def _preview_url(client, contrat):
    user = UserFactory()
    grant(user, contrat)
    client.force_login(user)
    upload = SimpleUploadedFile("v2.docx", _small_docx(["Nombre de VAD"]))
    response = client.post(f"/contrats/{contrat.pk}/import/", {"fichier": upload})
    assert response.status_code == 302
    return response["Location"]


def test_preview_page_offers_to_keep_or_withdraw_each_absent_item(client, suivi_contrat):
    contrat, suivi = suivi_contrat
    page = parse_page(client.get(_preview_url(client, contrat)))
    [section] = page.xpath('//section[@id="absents"]')
    assert "Fiche n°1 – indicateur « Nombre de visites »" in section.text_content()
    assert "1 valeur d'indicateur" in section.text_content()
    radios = section.xpath(f'.//input[@type="radio"][@name="retrait-indicateurs-{suivi.pk}"]')
    assert [(r.get("value"), r.get("checked") is not None) for r in radios] == [
        ("conserver", True),
        ("retirer", False),
    ]
    assert section.xpath("ancestor::form[@method='post']")
    [button] = page.xpath('//button[@value="confirmer"]')
    assert button.text_content().strip() == "Importer 1 fiche"  # son choix peut la modifier


def test_confirming_with_withdraw_marks_the_indicator_and_keeps_its_values(client, suivi_contrat):
    contrat, suivi = suivi_contrat
    url = _preview_url(client, contrat)
    response = client.post(
        url, {"action": "confirmer", f"retrait-indicateurs-{suivi.pk}": "retirer"}, follow=True
    )
    assert "1 élément(s) suivi(s) marqué(s) retiré(s)" in response.content.decode()
    suivi.refresh_from_db()
    assert suivi.retire_le is not None
    assert suivi.valeurs.count() == 1
    quantitatifs = suivi.fiche.indicateurs.filter(nature=Indicateur.Nature.QUANTITATIF)
    assert [i.libelle for i in quantitatifs] == ["Nombre de VAD", "Nombre de visites"]


def test_confirming_with_the_default_choice_keeps_the_indicator_unchanged(client, suivi_contrat):
    contrat, suivi = suivi_contrat
    url = _preview_url(client, contrat)
    client.post(url, {"action": "confirmer", f"retrait-indicateurs-{suivi.pk}": "conserver"})
    suivi.refresh_from_db()
    assert suivi.retire_le is None
    assert Revision.objects.for_object(suivi.fiche).count() == 1  # la création seulement


def test_a_withdrawn_indicator_stays_visible_with_its_values_and_gets_no_new_value_prompt(
    client, suivi_contrat
):
    from django.core.exceptions import ValidationError

    contrat, suivi = suivi_contrat
    client.post(
        _preview_url(client, contrat),
        {"action": "confirmer", f"retrait-indicateurs-{suivi.pk}": "retirer"},
    )
    page = parse_page(client.get(f"/contrats/{contrat.pk}/fiches/1/indicateurs/"))
    [bloc] = page.xpath(f'//section[@id="indicateur-{suivi.pk}"]')
    assert "Retiré le" in bloc.xpath('string(.//*[contains(@class, "retrait")])')
    assert len(bloc.xpath('.//table[contains(@class, "")]//tbody/tr')) == 1
    assert not bloc.xpath('.//details[contains(@class, "saisie-valeur")]')
    [other] = [s for s in page.xpath('//section[contains(@class, "indicateur-bloc")]') if s != bloc]
    assert other.xpath('.//details[contains(@class, "saisie-valeur")]')
    suivi.refresh_from_db()
    with pytest.raises(ValidationError, match="retiré du contrat"):
        _valeur(suivi)


def test_a_withdrawn_indicator_no_longer_asks_for_its_collection_in_my_tasks(suivi_contrat):
    from pilotage.contrats.models import today
    from pilotage.suivi.services import plan_collecte_set
    from pilotage.suivi.tasks import taches_de

    contrat, suivi = suivi_contrat
    pilote = UserFactory()
    grant(pilote, contrat)
    plan_collecte_set(
        indicateur=suivi,
        user=pilote,
        referent_collecte=pilote,
        methode="extraction",
        frequence="annuelle",
        prochaine_echeance=today(),
    )
    assert taches_de(pilote, today()).collectes_a_venir
    result = _result(_small_docx(["Nombre de VAD"]))
    fiches_import(
        contrat=contrat,
        result=result,
        user=pilote,
        filename="v2.docx",
        retraits={f"retrait-indicateurs-{suivi.pk}"},
    )
    taches = taches_de(pilote, today())
    assert (taches.collectes_a_venir, taches.collectes_en_retard) == ([], [])


def test_reimporting_an_identical_document_offers_to_finish_without_changes(client, suivi_contrat):
    contrat, _suivi = suivi_contrat
    user = UserFactory()
    grant(user, contrat)
    client.force_login(user)
    same = _small_docx(["Nombre de VAD", "Nombre de visites"])
    response = client.post(
        f"/contrats/{contrat.pk}/import/", {"fichier": SimpleUploadedFile("v1.docx", same)}
    )
    page = parse_page(client.get(response["Location"]))
    assert not page.xpath('//section[@id="absents"]')
    [button] = page.xpath('//button[@value="confirmer"]')
    assert button.text_content().strip() == "Terminer sans modifier de fiche"
