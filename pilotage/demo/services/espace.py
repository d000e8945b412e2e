"""Contenu de départ de l'espace partagé (`data/espace_demo.json`) : dans l'espace
national, le guide en 5 étapes des indicateurs qualitatifs et le modèle de fiche de
relevé (`seeds/000_…`), la synthèse des recommandations du groupe de travail
(`seeds/001_…`), une actualité et une proposition avec sa réponse ; dans l'espace
régional de Nouvelle-Aquitaine, un retour d'expérience inventé (et dit tel) ; dans
l'espace de la Creuse, une actualité inventée. Le pilote du Conseil départemental suit
les espaces de la Creuse et de sa région depuis huit jours, et ce qui y est publié est
daté d'il y a deux jours : `envoyer_resumes_espaces --dry-run` montre son résumé.

Les fichiers sont des documents Word produits ici par python-docx ; tout passe par les
services de l'espace (droits, contrôle des fichiers). Idempotent : une ressource déjà
présente (même titre dans le même espace) n'est pas recréée.
"""

import datetime
import io
import json
from pathlib import Path

import docx
from django.contrib.auth import get_user_model
from django.utils import timezone

from pilotage.espace import services
from pilotage.espace.models import (
    Abonnement,
    Actualite,
    Espace,
    FichierRessource,
    Proposition,
    Ressource,
    Rubrique,
)
from pilotage.referentiel.models import Generation, Objectif
from pilotage.territoires.models import Departement

DATA = Path(__file__).resolve().parent.parent / "data" / "espace_demo.json"
NATIONAL = "national@demo.pilotage.test"
REGIONAL = "regional@demo.pilotage.test"
PROPOSANT = "pilote.cd@demo.pilotage.test"
#: Le pilote de la démonstration suit deux espaces depuis `SUIVI_DEPUIS` ; ce que la
#: démonstration y publie est daté de `PUBLIE_IL_Y_A` (avant le prochain résumé).
SUIVI_DEPUIS = datetime.timedelta(days=8)
PUBLIE_IL_Y_A = datetime.timedelta(days=2)


def _document(titre: str) -> docx.Document:
    document = docx.Document()
    document.core_properties.title = titre
    document.core_properties.language = "fr-FR"
    document.add_heading(titre, level=1)
    return document


def _bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def guide_docx(guide: dict) -> bytes:
    document = _document(guide["titre"])
    document.add_paragraph(guide["introduction"])
    for numero, (etape, points) in enumerate(guide["etapes"], start=1):
        document.add_heading(f"{numero}. {etape}", level=2)
        for point in points:
            document.add_paragraph(point, style="List Bullet")
    return _bytes(document)


def releve_docx(releve: dict) -> bytes:
    document = _document(releve["titre"])
    table = document.add_table(rows=3, cols=len(releve["colonnes"]))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, releve["colonnes"], strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for cell, text in zip(table.rows[1].cells, releve["exemple"], strict=True):
        cell.text = text
    document.add_paragraph(
        "Première ligne : l'exemple du modèle ; lignes suivantes : à compléter, une par "
        "situation observée. Aucune donnée permettant d'identifier un enfant ou une famille."
    )
    return _bytes(document)


def sections_docx(contenu: dict) -> bytes:
    document = _document(contenu["titre"])
    document.add_paragraph(contenu["resume"])
    for titre, points in contenu["sections"]:
        document.add_heading(titre, level=2)
        for point in points:
            document.add_paragraph(point, style="List Bullet")
    return _bytes(document)


def _publier(user, espace: Espace, contenu: dict, data: bytes, filename: str, objectifs=()):
    existante = espace.ressources.filter(titre=contenu["titre"]).first()
    if existante is not None:
        return existante
    return services.ressource_create(
        user=user,
        espace=espace,
        rubrique=Rubrique.objects.get(nom=contenu["rubrique"]),
        titre=contenu["titre"],
        resume=contenu["resume"],
        filename=filename,
        data=data,
        objectifs=objectifs,
    )


def espace_demo_load() -> None:
    contenu = json.loads(DATA.read_text(encoding="utf-8"))
    services.espaces_assurer()
    users = get_user_model().objects.in_bulk([NATIONAL, REGIONAL, PROPOSANT], field_name="email")
    national, regional = users[NATIONAL], users[REGIONAL]
    espace = Espace.objects.get(cle="national")
    generation = Generation.objects.get(code="2025-2027")
    objectifs = list(Objectif.objects.filter(generation=generation))
    guide = _publier(
        national,
        espace,
        contenu["guide"],
        guide_docx(contenu["guide"]),
        "guide-indicateurs-qualitatifs-5-etapes.docx",
        objectifs,
    )
    _publier(
        national,
        espace,
        contenu["releve"],
        releve_docx(contenu["releve"]),
        "modele-fiche-de-releve.docx",
        objectifs,
    )
    _publier(
        national,
        espace,
        contenu["synthese"],
        sections_docx(contenu["synthese"]),
        "synthese-recommandations-groupe-de-travail.docx",
    )
    if espace.ressource_du_trimestre_id is None:
        services.ressource_du_trimestre_set(user=national, espace=espace, ressource=guide)
    if not espace.actualites.exists():
        services.actualite_create(user=national, espace=espace, **contenu["actualite"])
    _proposition(espace, users[PROPOSANT], national, contenu["proposition"])

    region = Departement.objects.get(code="23").region
    espace_region = Espace.objects.get(cle=Espace.cle_de(region=region))
    _publier(
        regional,
        espace_region,
        contenu["retour_regional"],
        sections_docx(contenu["retour_regional"]),
        "retour-experience-reunion-de-suivi-exemple-invente.docx",
    )
    espace_creuse = Espace.objects.get(cle="departement-23")
    pilote = users[PROPOSANT]
    if not espace_creuse.actualites.filter(titre=contenu["actualite_creuse"]["titre"]).exists():
        services.actualite_create(user=pilote, espace=espace_creuse, **contenu["actualite_creuse"])
    _abonnements(pilote, [espace_creuse, espace_region])


def _proposition(espace: Espace, auteur, editeur, contenu: dict) -> None:
    if Proposition.objects.filter(espace=espace, titre=contenu["titre"]).exists():
        return
    proposition = services.proposition_create(
        user=auteur, espace=espace, titre=contenu["titre"], texte=contenu["texte"]
    )
    services.proposition_repondre(
        user=editeur, proposition=proposition, statut=contenu["statut"], reponse=contenu["reponse"]
    )


def _abonnements(user, espaces: list[Espace]) -> None:
    """`user` suit `espaces` depuis `SUIVI_DEPUIS` ; ce qui y est publié est antidaté de
    `PUBLIE_IL_Y_A` (au premier chargement seulement : recharger ne change rien)."""
    if Abonnement.objects.filter(user=user, espace__in=espaces).exists():
        return
    maintenant = timezone.now()
    for espace in espaces:
        services.abonnement_create(user=user, espace=espace)
    Abonnement.objects.filter(user=user, espace__in=espaces).update(
        created_at=maintenant - SUIVI_DEPUIS, resume_jusqu_a=maintenant - SUIVI_DEPUIS
    )
    publie = maintenant - PUBLIE_IL_Y_A
    Ressource.objects.filter(espace__in=espaces).update(created_at=publie)
    FichierRessource.objects.filter(ressource__espace__in=espaces).update(depose_le=publie)
    Actualite.objects.filter(espace__in=espaces).update(created_at=publie)
