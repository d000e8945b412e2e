"""Dossier de préparation et compte rendu : contenu, pages, exports PDF et Word,
circuit de validation par les pilotes des institutions, droits, requêtes bornées."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from pilotage.contrats.models import Habilitation, Indicateur, Jalon
from pilotage.reunions import services
from pilotage.reunions.documents import compte_rendu_content, dossier_content
from pilotage.reunions.models import Decision, NoteSeance, Reunion
from pilotage.suivi.models import Releve, ReleveEtape
from pilotage.suivi.services import valeur_create
from pilotage.territoires.models import Departement, Institution
from tests.factories import (
    ContratFactory,
    InstitutionFactory,
    UserFactory,
    grant,
    make_comite_suivi,
    make_fiche,
)
from tests.pdf import pdf_streams, pdf_text
from tests.reunions.helpers import url

NOW = timezone.now


def days_ago(days: int) -> datetime.datetime:
    return NOW() - datetime.timedelta(days=days)


def _pilote(contrat, nom, institution, type_=Institution.Type.CD):
    user = UserFactory(
        first_name="Pilote",
        last_name=nom,
        institution=InstitutionFactory(nom=institution, type=type_),
    )
    grant(user, contrat)
    return user


@pytest.fixture
def pilote(contrat):
    return _pilote(contrat, "Departement", "Conseil départemental de la Creuse")


@pytest.fixture
def pilote_ddets(contrat):
    return _pilote(contrat, "Etat", "DDETS de la Creuse", Institution.Type.DDETS)


@pytest.fixture
def pilote_ars(contrat):
    return _pilote(contrat, "Sante", "ARS Nouvelle-Aquitaine", Institution.Type.ARS)


@pytest.fixture
def fiches(contrat, pilote):
    return [make_fiche(contrat, numero, user=pilote) for numero in (1, 2, 3)]


def point_of(reunion, numero):
    return reunion.points.select_related("reunion", "fiche").get(fiche__numero=numero)


def make_releve(fiche, indicateur, auteur, statut, situation, *, valide_il_y_a=None):
    """Un relevé ; `valide_il_y_a` (jours) trace sa validation à cette date."""
    releve = Releve.objects.create(
        fiche=fiche,
        indicateur=indicateur,
        date_observation=timezone.localdate() - datetime.timedelta(days=400),
        situation=situation,
        questions="Les familles connaissent-elles le dispositif ?",
        faits=f"Faits observés : {situation}.",
        statut=statut,
        auteur=auteur,
        institution=auteur.institution,
    )
    if valide_il_y_a is not None:
        etape = ReleveEtape.objects.create(
            releve=releve, action=ReleveEtape.Action.VALIDATION, user=auteur
        )
        ReleveEtape.objects.filter(pk=etape.pk).update(created_at=days_ago(valide_il_y_a))
    return releve


@pytest.fixture
def scene(contrat, pilote, fiches):
    """Une réunion passée (il y a 200 jours) avec deux décisions, puis une réunion à venir
    dont l'ordre du jour est la fiche 1 (la fiche 2 revient pour sa décision ouverte)."""
    fiche1, fiche2, _fiche3 = fiches
    precedente = make_comite_suivi(contrat, pilote, days_ago(200))
    services.decision_create(
        point=point_of(precedente, 1),
        auteur=pilote,
        fields={
            "categorie": "autre",
            "texte": "Relancer le partenariat avec l'Éducation nationale",
            "porteur": "DDETS",
            "echeance": datetime.date(2026, 6, 30),
        },
    )
    services.decision_create(
        point=point_of(precedente, 2),
        auteur=pilote,
        fields={"categorie": "autre", "texte": "Présenter le bilan des visites", "porteur": "CD"},
    )
    close = services.decision_create(
        point=point_of(precedente, 1),
        auteur=pilote,
        fields={"categorie": "autre", "texte": "Décision déjà close avant", "porteur": "ARS"},
    )
    services.decision_close(decision=close, user=pilote)
    Jalon.objects.create(
        fiche=fiche1,
        libelle="Recrutement de la puéricultrice",
        date_prevue=timezone.localdate() - datetime.timedelta(days=30),
    )
    indicateur = fiche1.indicateurs.get(nature="quantitatif")
    Indicateur.objects.filter(pk=indicateur.pk).update(
        cible=Decimal("40"), valeur_reference=Decimal("10"), annee_reference=2024
    )
    valeur_create(indicateur=indicateur, user=pilote, annee=2024, valeur=Decimal("8"))
    valeur_create(indicateur=indicateur, user=pilote, annee=2025, valeur=Decimal("12"))
    qualitatif = Indicateur.objects.create(
        fiche=fiche1, nature="qualitatif", libelle="Les familles se sentent-elles accueillies ?"
    )
    make_releve(fiche1, qualitatif, pilote, "valide", "Consultation récente", valide_il_y_a=10)
    make_releve(fiche1, qualitatif, pilote, "brouillon", "Brouillon en cours")
    make_releve(fiche1, qualitatif, pilote, "partage", "Relevé ancien", valide_il_y_a=300)
    autre = UserFactory(institution=InstitutionFactory(nom="CAF de la Creuse"))
    grant(autre, contrat, Habilitation.Role.CONTRIBUTEUR)
    make_releve(
        fiche1, qualitatif, autre, "valide", "Relevé d'une autre institution", valide_il_y_a=5
    )
    prochaine = services.reunion_create(
        contrat=contrat,
        user=pilote,
        fields={
            "date": NOW() + datetime.timedelta(days=20),
            "ordre_du_jour": "selection",
            "lieu": "Hôtel du département, Guéret",
        },
        selection=[fiche1],  # une sélection vide est refusée
    )
    return precedente, prochaine


# --- Dossier de préparation : contenu ------------------------------------------------------


def test_dossier_gives_each_fiche_on_the_agenda_with_its_state_and_late_milestones(scene, pilote):
    _precedente, prochaine = scene
    dossier = dossier_content(prochaine, viewer=pilote)
    assert [f.numero for f in dossier.fiches] == [1, 2]  # la fiche 3 n'est pas à l'ordre du jour
    fiche1, fiche2 = dossier.fiches
    assert not fiche1.reporte and fiche2.reporte
    assert fiche1.referent == "Pôle cohésion sociale"
    assert fiche1.etat_libelle == "Non démarrée"
    assert fiche1.en_retard
    assert [j.libelle for j in fiche1.jalons_en_retard] == ["Recrutement de la puéricultrice"]
    assert fiche1.vigilance == ["Natalité en baisse"]
    assert not fiche2.en_retard


def test_dossier_shows_the_latest_indicator_value_against_target_and_reference(scene, pilote):
    dossier = dossier_content(scene[1], viewer=pilote)
    [ligne] = dossier.fiches[0].indicateurs
    assert ligne.libelle == "Nombre d'EPP réalisés"
    assert ligne.valeur == "12" and ligne.periode == "2025"
    assert ligne.cible == "40"
    assert ligne.reference == "10 (2024)"
    assert ligne.ecart_cible == "30 % de la cible"
    assert ligne.precedente_texte == "8 (2024)"


def test_dossier_lists_only_observations_validated_since_the_previous_meeting(scene, pilote):
    dossier = dossier_content(scene[1], viewer=pilote)
    situations = [item.releve.situation for item in dossier.fiches[0].releves]
    # Ni le brouillon, ni le relevé validé avant la réunion précédente, ni celui d'une
    # autre institution qui n'est pas partagé.
    assert situations == ["Consultation récente"]
    assert dossier.depuis.startswith("depuis le comité de suivi du ")


def test_dossier_recalls_open_decisions_of_previous_meetings(scene, pilote):
    precedente, prochaine = scene
    dossier = dossier_content(prochaine, viewer=pilote)
    textes = [d.texte for d in dossier.decisions_ouvertes]
    assert textes == [
        "Relancer le partenariat avec l'Éducation nationale",
        "Présenter le bilan des visites",
    ]
    [decision] = dossier.fiches[0].decisions
    assert decision.porteur == "DDETS"
    assert decision.echeance == "30/06/2026"
    assert decision.reunion_origine.startswith(
        f"Comité de suivi du {timezone.localtime(precedente.date):%d/%m/%Y}"
    )
    assert [d.texte for d in dossier.fiches[1].decisions] == ["Présenter le bilan des visites"]


def test_dossier_of_an_abandoned_fiche_gives_the_reason(contrat, pilote, fiches):
    from pilotage.contrats.models import FicheAction

    FicheAction.objects.filter(pk=fiches[0].pk).update(
        etat="abandonnee", motif_abandon="Pas de porteur local"
    )
    reunion = make_comite_suivi(contrat, pilote, NOW() + datetime.timedelta(days=3))
    fiche = dossier_content(reunion, viewer=pilote).fiches[0]
    assert fiche.etat_libelle == "Abandonnée"
    assert fiche.motif_abandon == "Pas de porteur local"


# --- Dossier : page et exports ------------------------------------------------------------


def test_dossier_page_has_a_summary_one_section_per_fiche_and_export_buttons(client, scene, pilote):
    _precedente, prochaine = scene
    client.force_login(pilote)
    response = client.get(url("dossier", prochaine))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sommaire" in html
    assert 'href="#fiche-1"' in html and 'id="fiche-2"' in html
    assert 'id="fiche-3"' not in html
    assert "Recrutement de la puéricultrice" in html
    assert "Consultation récente" in html
    assert "Brouillon en cours" not in html
    assert "Relevé ancien" not in html
    assert "Relancer le partenariat" in html
    assert url("dossier_export", prochaine, "pdf") in html
    assert url("dossier_export", prochaine, "docx") in html


def test_a_reader_sees_the_dossier_but_never_a_draft(client, scene, contrat):
    lecteur = UserFactory(institution=InstitutionFactory(nom="Conseil départemental de la Creuse"))
    grant(lecteur, contrat, Habilitation.Role.LECTEUR)
    client.force_login(lecteur)
    html = client.get(url("dossier", scene[1])).content.decode()
    assert "Consultation récente" in html
    assert "Brouillon en cours" not in html


def test_dossier_docx_contains_the_fiche_the_value_and_the_open_decision(client, scene, pilote):
    client.force_login(pilote)
    response = client.get(url("dossier_export", scene[1], "docx"))
    assert response.status_code == 200
    day = timezone.localtime(scene[1].date).date().isoformat()
    name = f"dossier-23-{day}.docx"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    )
    text = _docx_text(response.content)
    assert "Fiche action n°1 – Fiche de test n°1" in text
    assert "Nombre d'EPP réalisés : 12 (2025) – cible : 40" in text
    assert "Relancer le partenariat avec l'Éducation nationale" in text
    assert "Consultation récente" in text
    assert "Brouillon en cours" not in text
    assert "Fiche de test n°3" not in text


def test_dossier_pdf_is_tagged_and_has_the_banner(client, scene, pilote):
    client.force_login(pilote)
    response = client.get(url("dossier_export", scene[1], "pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="dossier-23-')
    objects = b"\n".join([response.content, *pdf_streams(response.content)])
    assert b"/StructTreeRoot" in objects and b"/Lang (fr)" in objects
    text = pdf_text(response.content)
    assert "Contractualisation en prévention et en protection de l'enfance 2025-2027" in text
    assert "Recrutement de la puéricultrice" in text
    assert "Relancer le partenariat" in text


@pytest.mark.parametrize("name", ["dossier_export", "compte_rendu_export"])
def test_an_unknown_format_gets_404(client, scene, pilote, name):
    client.force_login(pilote)
    assert client.get(url(name, scene[1], "odt")).status_code == 404


# --- Compte rendu -------------------------------------------------------------------------


@pytest.fixture
def seance(contrat, pilotes, fiches, scene):
    """La réunion d'il y a 200 jours, tenue : notes de deux personnes, une décision appliquée,
    présents et excusés."""
    pilote, pilote_ddets, pilote_ars = pilotes
    reunion = scene[0]
    point = point_of(reunion, 1)
    services.note_save(
        point=point, encart="positifs", auteur=pilote, texte="Les visites ont repris."
    )
    services.note_save(
        point=point, encart="positifs", auteur=pilote_ddets, texte="Bonne coordination."
    )
    services.note_save(point=point, encart="positifs", auteur=pilote_ars, texte="   ")
    services.note_save(
        point=point, encart="ameliorations", auteur=pilote_ars, texte="Délais encore longs."
    )
    decision = services.decision_create(
        point=point,
        auteur=pilote,
        fields={
            "categorie": "acteurs",
            "texte": "Associer la CAF au comité",
            "porteur": "CD",
            "echeance": datetime.date(2026, 1, 31),
            "changement": {"action": "ajouter_acteur", "nom": "CAF", "implication": "Cofinanceur"},
        },
    )
    services.decision_apply(decision=decision, user=pilote)
    for participation in reunion.participations.select_related("user"):
        statut = "excuse" if participation.user == pilote_ars else "present"
        services.participation_set(participation=participation, statut=statut)
    return reunion


def test_compte_rendu_gathers_the_three_boxes_without_author_names(seance, pilote):
    cr = compte_rendu_content(seance, viewer=pilote)
    assert cr.statut == "Projet"
    fiche = cr.fiches[0]
    assert fiche.positifs == ["Les visites ont repris.", "Bonne coordination."]
    assert fiche.ameliorations == ["Délais encore longs."]
    [decision] = [d for d in fiche.decisions if d.texte == "Associer la CAF au comité"]
    assert decision.categorie == "Acteurs" and decision.porteur == "CD"
    assert decision.application.startswith("appliquée à la fiche le ")
    assert cr.entete.ligne_avancement == (
        f"RÉUNION D'ÉTAT D'AVANCEMENT N° 1 DATE : {timezone.localtime(seance.date):%d/%m/%Y}"
    )
    presents = {g.institution: [p.libelle for p in g.presents] for g in cr.entete.presents}
    assert presents == {
        "Conseil départemental de la Creuse": ["Pilote Departement"],
        "DDETS de la Creuse": ["Pilote Etat"],
    }
    assert [g.institution for g in cr.entete.excuses] == ["ARS Nouvelle-Aquitaine"]


def test_compte_rendu_follows_up_previous_decisions_closed_or_still_open(scene, pilote):
    precedente, prochaine = scene
    decision = precedente.points.get(fiche__numero=2).decisions.get()
    services.decision_close(decision=decision, user=pilote, commentaire="Bilan présenté")
    # Close pendant la réunion suivante : elle y a été examinée.
    close_le = prochaine.date + datetime.timedelta(hours=1)
    Decision.objects.filter(pk=decision.pk).update(close_le=close_le)
    cr = compte_rendu_content(prochaine, viewer=pilote)
    suivi = {d.texte: d.suivi for d in cr.suivi_decisions}
    assert suivi["Relancer le partenariat avec l'Éducation nationale"] == "toujours ouverte"
    assert suivi["Présenter le bilan des visites"] == (
        f"close le {timezone.localtime(close_le):%d/%m/%Y} (Bilan présenté)"
    )
    assert "Décision déjà close avant" not in suivi  # close avant la réunion : pas examinée


def test_compte_rendu_docx_has_the_official_tables_decisions_and_participants(
    client, seance, pilote
):
    client.force_login(pilote)
    response = client.get(url("compte_rendu_export", seance, "docx"))
    assert response.status_code == 200
    day = timezone.localtime(seance.date).date()
    name = f"compte-rendu-23-{day.isoformat()}.docx"
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"
    )
    document = Document(io.BytesIO(response.content))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Fiche action n°1 – Fiche de test n°1" in headings
    table = next(t for t in document.tables if "RÉUNION D'ÉTAT" in t.rows[0].cells[0].text)
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0][0] == f"RÉUNION D'ÉTAT D'AVANCEMENT N° 1 DATE : {day:%d/%m/%Y}"
    assert rows[1] == [
        "Éléments positifs observables",
        "Les visites ont repris.\nBonne coordination.",
    ]
    assert rows[2] == ["Axes d'amélioration identifiés", "Délais encore longs."]
    assert rows[3][0] == "Prise de décision en séance"
    assert "Associer la CAF au comité (Acteurs · porté par CD · pour le 31/01/2026" in rows[3][1]
    assert "appliquée à la fiche le" in rows[3][1]
    text = _docx_text(response.content)
    assert "Contractualisation en prévention et en protection de l'enfance 2025-2027" in text
    assert "Pilote Departement" in text and "Pilote Sante" in text
    assert "Pilote Departement" not in rows[1][1]  # jamais le nom de l'auteur d'une note
    assert "Projet" in text


def test_compte_rendu_pdf_contains_the_boxes_the_decisions_and_the_participants(
    client, seance, pilote
):
    client.force_login(pilote)
    response = client.get(url("compte_rendu_export", seance, "pdf"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="compte-rendu-23-')
    text = pdf_text(response.content)
    assert "RÉUNION D'ÉTAT D'AVANCEMENT N° 1" in text
    for expected in (
        "Éléments positifs observables",
        "Les visites ont repris.",
        "Axes d'amélioration identifiés",
        "Délais encore longs.",
        "Prise de décision en séance",
        "Associer la CAF au comité",
        "Pilote Etat",
        "ARS Nouvelle-Aquitaine",
        "Projet",
    ):
        assert expected in text, expected


# --- Circuit de validation ------------------------------------------------------------------


def _post(client, user, reunion, action, **data):
    client.force_login(user)
    return client.post(url("validation", reunion), {"action": action, **data})


def test_each_pilot_institution_validates_then_the_minutes_are_frozen(client, seance, pilotes):
    pilote, pilote_ddets, pilote_ars = pilotes
    assert _post(client, pilote, seance, "tenir").status_code == 302
    assert _post(client, pilote, seance, "soumettre").status_code == 302
    seance.refresh_from_db()
    assert seance.statut == Reunion.Statut.EN_VALIDATION
    client.force_login(pilote_ddets)
    html = client.get(url("compte_rendu", seance)).content.decode()
    assert "Valider pour DDETS de la Creuse" in html
    assert "Demander des modifications" in html
    for user in pilotes:
        response = _post(client, user, seance, "valide")
        assert response.status_code == 302
    seance.refresh_from_db()
    assert seance.statut == Reunion.Statut.FIGEE
    html = client.get(url("compte_rendu", seance)).content.decode()
    assert "Compte rendu validé, figé" in html
    assert "Toutes les institutions pilotes ont validé" in html  # message de succès
    assert "Valider pour" not in html
    text = _docx_text(client.get(url("compte_rendu_export", seance, "docx")).getvalue())
    assert f"Validé le {timezone.localdate():%d/%m/%Y}" in text
    with pytest.raises(ValidationError):
        services.note_save(
            point=point_of(seance, 1), encart="positifs", auteur=pilote, texte="Trop tard"
        )


def test_frozen_minutes_are_downloaded_as_validated_even_after_a_later_change(
    client, seance, pilotes
):
    _post(client, pilotes[0], seance, "soumettre")
    for user in pilotes:
        _post(client, user, seance, "valide")
    seance.refresh_from_db()
    assert seance.compte_rendu_pdf.name.endswith(".pdf")
    assert seance.compte_rendu_docx.name.endswith(".docx")
    # Un changement ultérieur (ici forcé en base) ne touche pas l'exemplaire validé.
    NoteSeance.objects.filter(texte="Les visites ont repris.").update(texte="Texte réécrit")
    pdf = client.get(url("compte_rendu_export", seance, "pdf"))
    docx = client.get(url("compte_rendu_export", seance, "docx"))
    assert pdf["Content-Disposition"].endswith(".pdf")
    for text in (pdf_text(pdf.getvalue()), _docx_text(docx.getvalue())):
        assert "Les visites ont repris." in text
        assert "Texte réécrit" not in text
    page = client.get(url("compte_rendu", seance)).content.decode()
    assert "exemplaire validé" in page


def test_a_lost_archived_copy_is_rebuilt_from_the_data(client, seance, pilotes):
    _post(client, pilotes[0], seance, "soumettre")
    for user in pilotes:
        _post(client, user, seance, "valide")
    seance.refresh_from_db()
    seance.compte_rendu_pdf.storage.delete(seance.compte_rendu_pdf.name)
    response = client.get(url("compte_rendu_export", seance, "pdf"))
    assert response.status_code == 200
    assert "Les visites ont repris." in pdf_text(response.content)


def test_a_change_request_sends_the_meeting_back_to_preparation(client, seance, pilotes):
    pilote, pilote_ddets, _ = pilotes
    _post(client, pilote, seance, "soumettre")
    _post(client, pilote, seance, "valide")
    response = _post(
        client, pilote_ddets, seance, "remarques", commentaire="Ajouter le budget 2026."
    )
    assert response.status_code == 302
    seance.refresh_from_db()
    assert seance.statut == Reunion.Statut.TENUE
    html = client.get(url("compte_rendu", seance)).content.decode()
    assert "Ajouter le budget 2026." in html
    assert "Soumettre à la validation" in html
    # Pas figé : on peut encore compléter les notes.
    services.note_save(
        point=point_of(seance, 1), encart="positifs", auteur=pilote, texte="Complété."
    )


def test_a_change_request_without_comment_is_refused_with_a_clear_message(client, seance, pilotes):
    pilote = pilotes[0]
    _post(client, pilote, seance, "soumettre")
    response = _post(client, pilote, seance, "remarques", commentaire="  ")
    assert response.status_code == 400
    assert "Précisez les remarques à intégrer." in response.content.decode()
    seance.refresh_from_db()
    assert seance.statut == Reunion.Statut.EN_VALIDATION
    assert not seance.validations.exists()


def test_a_future_meeting_cannot_be_submitted(client, scene, pilote):
    response = _post(client, pilote, scene[1], "soumettre")
    assert response.status_code == 302
    scene[1].refresh_from_db()
    assert scene[1].statut == Reunion.Statut.PLANIFIEE
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "La réunion n'a pas encore eu lieu : son compte rendu ne peut pas être soumis."
    ]


@pytest.mark.parametrize("action", ["tenir", "soumettre", "valide", "remarques"])
def test_a_non_pilot_gets_403_on_the_validation_circuit(client, seance, contrat, action):
    referent = UserFactory()
    grant(referent, contrat, Habilitation.Role.REFERENT)
    response = _post(client, referent, seance, action, commentaire="Non")
    assert response.status_code == 403


def test_a_non_pilot_reads_the_minutes_without_validation_buttons(client, seance, contrat):
    lecteur = UserFactory()
    grant(lecteur, contrat, Habilitation.Role.LECTEUR)
    client.force_login(lecteur)
    response = client.get(url("compte_rendu", seance))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Les visites ont repris." in html
    assert "Soumettre à la validation" not in html and "Valider pour" not in html


@pytest.mark.parametrize(
    "name,args",
    [
        ("dossier", ()),
        ("dossier_export", ("pdf",)),
        ("compte_rendu", ()),
        ("compte_rendu_export", ("docx",)),
    ],
)
def test_a_user_of_another_department_gets_404(client, seance, name, args):
    autre_contrat = ContratFactory(departement=Departement.objects.get(code="19"))
    etranger = UserFactory()
    grant(etranger, autre_contrat)
    client.force_login(etranger)
    assert client.get(url(name, seance, *args)).status_code == 404
    assert _post(client, etranger, seance, "soumettre").status_code == 404


# --- Requêtes bornées -----------------------------------------------------------------------


def _agenda(nb_fiches: int, departement: str):
    contrat = ContratFactory(
        departement=Departement.objects.get(code=departement),
        date_signature=datetime.date(2025, 3, 1),
    )
    pilote = _pilote(contrat, "Bench", "Conseil départemental de la Creuse")
    fiches = [make_fiche(contrat, numero, user=pilote) for numero in range(1, nb_fiches + 1)]
    precedente = make_comite_suivi(contrat, pilote, days_ago(100))
    qualitatif = None
    for fiche in fiches:
        indicateur = fiche.indicateurs.get()
        valeur_create(indicateur=indicateur, user=pilote, annee=2025, valeur=Decimal("3"))
        Jalon.objects.create(fiche=fiche, libelle="Étape", date_prevue=datetime.date(2025, 1, 1))
        qualitatif = Indicateur.objects.create(fiche=fiche, nature="qualitatif", libelle="Q")
        make_releve(fiche, qualitatif, pilote, "valide", "Relevé", valide_il_y_a=10)
        point = point_of(precedente, fiche.numero)
        services.decision_create(
            point=point, auteur=pilote, fields={"categorie": "autre", "texte": "D", "porteur": "CD"}
        )
        services.note_save(point=point, encart="positifs", auteur=pilote, texte="Bien")
    reunion = make_comite_suivi(contrat, pilote, NOW() + datetime.timedelta(days=5))
    return pilote, precedente, reunion


def _count(client, user, path) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name,which", [("dossier", 1), ("compte_rendu", 0)])
def test_the_number_of_queries_does_not_grow_with_the_number_of_fiches(client, db, name, which):
    small = _agenda(3, "19")
    large = _agenda(30, "41")
    path_small = url(name, small[1 + which])
    path_large = url(name, large[1 + which])
    assert _count(client, small[0], path_small) == _count(client, large[0], path_large)


def test_the_dossier_page_stays_under_a_fixed_number_of_queries(
    client, scene, pilote, django_assert_max_num_queries
):
    client.force_login(pilote)
    with django_assert_max_num_queries(19):
        client.get(url("dossier", scene[1]))


#: Nombre observé (session, utilisateur, contrat, réunions du contrat avec leur rang,
#: journal des accès, menu et compteur « Mes tâches » compris) ; 17 quand la page relisait
#: la réunion, puis les rangs de l'en-tête et ceux des décisions précédentes.
COMPTE_RENDU_MAX_QUERIES = 15


def test_the_compte_rendu_page_reads_the_meetings_and_their_ranks_once(
    client, scene, pilote, django_assert_max_num_queries
):
    """Les rangs de l'en-tête et des décisions précédentes viennent des réunions du contrat
    lues une fois avec leur rang (comme le dossier), pas de requêtes de plus."""
    client.force_login(pilote)
    client.get(url("compte_rendu", scene[1]))
    with django_assert_max_num_queries(COMPTE_RENDU_MAX_QUERIES):
        response = client.get(url("compte_rendu", scene[1]))
    assert "Relancer le partenariat" in response.content.decode()


# --- Lecture des documents -----------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.sections[0].header.paragraphs]
    parts += [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_a_change_request_that_looks_like_personal_data_must_be_confirmed(client, seance, pilotes):
    pilote = pilotes[0]
    _post(client, pilote, seance, "soumettre")
    commentaire = "Retirer le téléphone de la mère : 06 12 34 56 78."
    response = _post(client, pilote, seance, "remarques", commentaire=commentaire)
    assert response.status_code == 400
    assert "Données personnelles possibles" in response.content.decode()
    seance.refresh_from_db()
    assert seance.statut == Reunion.Statut.EN_VALIDATION
    response = _post(
        client, pilote, seance, "remarques", commentaire=commentaire, confirm_personal_data="on"
    )
    assert response.status_code == 302
    seance.refresh_from_db()
    assert seance.statut == Reunion.Statut.TENUE
