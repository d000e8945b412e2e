"""Réunions dans l'export JSON du contrat (`export_contrat`, téléchargement du contrat) :
réunions, participants, encarts par fiche, décisions avec leur statut et les changements
qu'elles ont produits sur la fiche, réunions annulées ; rien d'un autre contrat."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotage.contrats.export import contrat_export
from pilotage.contrats.models import Habilitation
from pilotage.reunions import services
from pilotage.reunions.models import Participation, Reunion
from pilotage.territoires.models import Departement, Institution
from tests.factories import (
    ContratFactory,
    InstitutionFactory,
    UserFactory,
    grant,
    make_fiche,
    make_reunion,
)
from tests.reunions.helpers import at


def local(value: datetime.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes")


def export_json(departement_code: str = "23") -> dict:
    """L'export de la commande, relu comme le ferait un autre outil."""
    out = io.StringIO()
    call_command("export_contrat", "--departement", departement_code, stdout=out)
    return json.loads(out.getvalue())


def fiche_item(reunion_item: dict, numero: int) -> dict:
    [item] = [f for f in reunion_item["fiches"] if f["fiche"] == numero]
    return item


@pytest.fixture
def pilote(contrat):
    user = UserFactory(
        first_name="Claire",
        last_name="Pilote",
        email="claire.pilote@exemple.test",
        institution=InstitutionFactory(nom="Conseil départemental de la Creuse"),
    )
    grant(user, contrat)
    return user


@pytest.fixture
def pilote_ddets(contrat):
    user = UserFactory(
        first_name="Paul",
        last_name="Etat",
        email="paul.etat@exemple.test",
        institution=InstitutionFactory(nom="DDETS de la Creuse", type=Institution.Type.DDETS),
    )
    grant(user, contrat)
    return user


@pytest.fixture
def scene(contrat, pilote, pilote_ddets):
    """Une réunion passée complète (participants, notes, trois décisions, compte rendu
    figé), une réunion annulée et une réunion à venir."""
    fiche1 = make_fiche(contrat, 1, user=pilote, a_impact=True)
    make_fiche(contrat, 2, user=pilote)
    passee = make_reunion(
        contrat,
        pilote,
        at(-60),
        type=Reunion.Type.COMITE_PILOTAGE,
        lien_visio="https://webconf.numerique.gouv.fr/comite",
    )
    for participation in passee.participations.all():
        statut = "present" if participation.user == pilote else "excuse"
        services.participation_set(participation=participation, statut=statut)
    services.participation_add(
        reunion=passee, nom="Mme Martin, directrice territoriale PJJ", email="martin@pjj.test"
    )
    point = passee.points.get(fiche=fiche1)
    services.note_save(point=point, encart="positifs", auteur=pilote, texte="EPP en hausse")
    services.note_save(point=point, encart="positifs", auteur=pilote_ddets, texte="Bon partenariat")
    services.note_save(point=point, encart="ameliorations", auteur=pilote, texte="Délais PMI")
    services.note_save(point=point, encart="ameliorations", auteur=pilote_ddets, texte="")
    appliquee = services.decision_create(
        point=point,
        auteur=pilote,
        fields={
            "categorie": "acteurs",
            "texte": "Associer la CAF",
            "porteur": "CD",
            "changement": {"action": "ajouter_acteur", "nom": "CAF de la Creuse"},
        },
    )
    services.decision_apply(decision=appliquee, user=pilote)
    close = services.decision_create(
        point=point, auteur=pilote, fields={"categorie": "autre", "texte": "Réunir la PMI"}
    )
    services.decision_close(decision=close, user=pilote, commentaire="Fait")
    services.decision_create(
        point=passee.points.get(fiche__numero=2),
        auteur=pilote,
        fields={
            "categorie": "autre",
            "texte": "Présenter le bilan des visites",
            "porteur": "DDETS",
            "echeance": datetime.date(2026, 6, 30),
        },
    )
    services.compte_rendu_submit(reunion=passee, user=pilote)
    for user in (pilote, pilote_ddets):
        services.compte_rendu_validate(reunion=passee, user=user, avis="valide")
    annulee = make_reunion(contrat, pilote, at(10), ordre_du_jour="a_impact")
    services.reunion_cancel(reunion=annulee, user=pilote)
    prochaine = make_reunion(contrat, pilote, at(30), ordre_du_jour="a_impact")
    for reunion in (passee, annulee, prochaine):
        reunion.refresh_from_db()
    return passee, annulee, prochaine


# --- Contenu ------------------------------------------------------------------------------


def test_each_meeting_is_exported_in_date_order_with_its_details(scene):
    passee, annulee, prochaine = scene
    reunions = export_json()["reunions"]
    assert [r["date"] for r in reunions] == [local(r.date) for r in (passee, annulee, prochaine)]
    first = reunions[0]
    assert {
        k: v for k, v in first.items() if k not in ("participants", "fiches", "validations")
    } == {
        "titre": passee.titre,
        "type": "comite_pilotage",
        "date": local(passee.date),
        "duree_minutes": 120,
        "lieu": "Hôtel du département, Guéret",
        "lien_visio": "https://webconf.numerique.gouv.fr/comite",
        "statut": "figee",
        "ordre_du_jour": "toutes",
        "fige_le": local(passee.fige_le),
    }
    assert reunions[2]["statut"] == "planifiee" and reunions[2]["fige_le"] is None


def test_participants_are_exported_with_their_institution_and_status(scene):
    participants = export_json()["reunions"][0]["participants"]
    assert sorted(participants, key=lambda p: p["nom"]) == [
        {
            "nom": "Claire Pilote",
            "institution": "Conseil départemental de la Creuse",
            "statut": "present",
        },
        {
            "nom": "Mme Martin, directrice territoriale PJJ",
            "institution": None,
            "statut": "invite",
        },
        {"nom": "Paul Etat", "institution": "DDETS de la Creuse", "statut": "excuse"},
    ]


def test_the_notes_of_every_author_are_exported_by_encart_and_fiche(scene):
    first = export_json()["reunions"][0]
    fiche1 = fiche_item(first, 1)
    assert fiche1["reportee"] is False
    assert sorted(fiche1["elements_positifs"]) == ["Bon partenariat", "EPP en hausse"]
    assert fiche1["axes_amelioration"] == ["Délais PMI"]  # une note vide n'est pas exportée
    fiche2 = fiche_item(first, 2)
    assert (fiche2["elements_positifs"], fiche2["axes_amelioration"]) == ([], [])


def test_decisions_are_exported_with_their_status_and_the_changes_they_made(scene):
    passee, _annulee, _prochaine = scene
    first = export_json()["reunions"][0]
    appliquee, close = fiche_item(first, 1)["decisions"]
    assert appliquee["type"] == "acteurs"
    assert (appliquee["texte"], appliquee["porteur"], appliquee["statut"]) == (
        "Associer la CAF",
        "CD",
        "ouverte",
    )
    assert appliquee["changement"] == {"action": "ajouter_acteur", "nom": "CAF de la Creuse"}
    decision = passee.points.get(fiche__numero=1).decisions.get(texte="Associer la CAF")
    assert appliquee["appliquee_le"] == local(decision.appliquee_le)
    [change] = appliquee["changements_fiche"]
    assert "CAF de la Creuse" in change["apres"]
    assert "CAF de la Creuse" not in change["avant"]
    assert change == {
        "rubrique": decision.revision.changes.get().label,
        "avant": decision.revision.changes.get().old_value,
        "apres": decision.revision.changes.get().new_value,
    }

    assert (close["statut"], close["changements_fiche"], close["appliquee_le"]) == (
        "close",
        [],
        None,
    )
    assert close["close_le"] is not None
    [ouverte] = fiche_item(first, 2)["decisions"]
    assert ouverte == {
        "type": "autre",
        "texte": "Présenter le bilan des visites",
        "porteur": "DDETS",
        "echeance": "2026-06-30",
        "statut": "ouverte",
        "close_le": None,
        "changement": {},
        "appliquee_le": None,
        "changements_fiche": [],
        "fiche_recevant": None,
    }


def test_a_transfer_exports_the_changes_of_the_receiving_fiche_too(db):
    from pilotage.demo.services import demo_load

    demo_load()
    [transfert] = [
        d
        for r in export_json()["reunions"]
        for f in r["fiches"]
        for d in f["decisions"]
        if d["changement"].get("action") == "transferer"
    ]
    assert "transfert vers la fiche n°9" in transfert["changements_fiche"][0]["apres"]
    recevant = transfert["fiche_recevant"]
    assert recevant["numero"] == 9
    [change] = recevant["changements_fiche"]
    assert "transfert de la fiche n°3" in change["apres"]
    assert "transfert de la fiche n°3" not in change["avant"]


def test_validations_of_the_report_are_exported_by_institution(scene):
    validations = export_json()["reunions"][0]["validations"]
    assert sorted((v["institution"], v["par"], v["avis"]) for v in validations) == [
        ("Conseil départemental de la Creuse", "claire.pilote@exemple.test", "valide"),
        ("DDETS de la Creuse", "paul.etat@exemple.test", "valide"),
    ]


def test_a_cancelled_meeting_is_exported_with_its_status(scene):
    _passee, annulee, prochaine = scene
    reunions = export_json()["reunions"]
    cancelled = reunions[1]
    assert cancelled["statut"] == "annulee"
    assert cancelled["date"] == local(annulee.date)
    # ordre du jour « à impact », plus la fiche 2 pour sa décision ouverte
    assert [(f["fiche"], f["reportee"]) for f in cancelled["fiches"]] == [(1, False), (2, True)]
    # titre qu'elle aurait eu, comme à l'écran, et non « réunion 0 »
    assert not cancelled["titre"].endswith("réunion 0")
    # elle ne décale pas le rang de la réunion suivante
    assert reunions[2]["titre"] == prochaine.titre


def test_a_meeting_carrying_over_an_open_decision_marks_the_fiche_as_carried(scene):
    _passee, _annulee, prochaine = scene
    last = export_json()["reunions"][2]
    assert [(f["fiche"], f["reportee"]) for f in last["fiches"]] == [(1, False), (2, True)]
    assert prochaine.points.get(fiche__numero=2).reporte


def test_a_contract_without_meetings_exports_an_empty_list(contrat, pilote):
    make_fiche(contrat, 1, user=pilote)
    data = export_json()
    assert data["reunions"] == []
    assert [f["numero"] for f in data["fiches"]] == [1]


def test_nothing_from_another_contract_is_exported(scene):
    correze = ContratFactory(departement=Departement.objects.get(code="19"))
    pilote_19 = UserFactory()
    grant(pilote_19, correze)
    make_fiche(correze, 1, user=pilote_19)
    reunion_19 = make_reunion(correze, pilote_19, at(-20), lieu="Tulle")
    point = reunion_19.points.get()
    services.note_save(point=point, encart="positifs", auteur=pilote_19, texte="Note corrézienne")
    services.decision_create(
        point=point, auteur=pilote_19, fields={"categorie": "autre", "texte": "Décision de Tulle"}
    )

    creuse = json.dumps(export_json("23"), ensure_ascii=False)
    assert len(json.loads(creuse)["reunions"]) == 3
    for text in ("Tulle", "Note corrézienne", "Décision de Tulle"):
        assert text not in creuse
    [only] = export_json("19")["reunions"]
    assert only["lieu"] == "Tulle"
    assert fiche_item(only, 1)["elements_positifs"] == ["Note corrézienne"]


def test_the_contract_download_includes_the_meetings_for_a_reader(scene, contrat, client):
    lecteur = UserFactory()
    grant(lecteur, contrat, Habilitation.Role.LECTEUR)
    client.force_login(lecteur)
    response = client.get(reverse("contrats:contrat_export", args=[contrat.pk]))
    assert response.status_code == 200
    data = json.loads(response.content)
    assert [r["statut"] for r in data["reunions"]] == ["figee", "annulee", "planifiee"]
    assert data["reunions"] == contrat_export(contrat)["reunions"]


def test_a_user_of_another_department_cannot_download_the_contract(scene, contrat, client):
    correze = ContratFactory(departement=Departement.objects.get(code="19"))
    etranger = UserFactory()
    grant(etranger, correze)
    client.force_login(etranger)
    response = client.get(reverse("contrats:contrat_export", args=[contrat.pk]))
    assert response.status_code == 404


# --- Requêtes -----------------------------------------------------------------------------


def _populate(contrat, pilote, nb_reunions):
    make_fiche(contrat, 1, user=pilote)
    make_fiche(contrat, 2, user=pilote)
    for n in range(nb_reunions):
        reunion = make_reunion(contrat, pilote, at(-30 * (n + 1)))
        services.participation_add(reunion=reunion, nom=f"Invité {n}", email=f"i{n}@exemple.test")
        for point in reunion.points.all():
            services.note_save(point=point, encart="positifs", auteur=pilote, texte=f"Note {n}")
            decision = services.decision_create(
                point=point,
                auteur=pilote,
                fields={
                    "categorie": "vigilance",
                    "texte": f"Vigilance {n}",
                    "changement": {"action": "ajouter_vigilance", "libelle": f"Point {n}"},
                },
            )
            services.decision_apply(decision=decision, user=pilote)
        services.compte_rendu_submit(reunion=reunion, user=pilote)
        services.compte_rendu_validate(reunion=reunion, user=pilote, avis="valide")


def _export_queries(contrat) -> int:
    with CaptureQueriesContext(connection) as ctx:
        contrat_export(contrat)
    return len(ctx.captured_queries)


def test_export_queries_do_not_grow_with_meetings_notes_and_decisions(db):
    counts = []
    for code, nb_reunions in (("23", 1), ("19", 4)):
        contrat = ContratFactory(departement=Departement.objects.get(code=code))
        pilote = UserFactory()
        grant(pilote, contrat)
        _populate(contrat, pilote, nb_reunions)
        assert Participation.objects.filter(reunion__contrat=contrat).count() == 2 * nb_reunions
        counts.append(_export_queries(contrat))
    assert counts[0] == counts[1]
