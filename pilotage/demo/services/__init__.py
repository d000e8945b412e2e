"""Chargement de la démonstration : le contrat 2025-2027 de la Creuse (17 fiches
publiées, transcrites dans `data/creuse_2025_2027.json`), un second département
fictif, et un compte de démonstration par rôle.

`demo_load` est idempotent : un second appel ne change rien.
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from pilotage.contrats import services as contrats_services
from pilotage.contrats.acces.invitations import invitation_create
from pilotage.contrats.invitations import Invitation
from pilotage.contrats.models import Contrat, Habilitation
from pilotage.core.models import Revision
from pilotage.core.recherche import index_differe
from pilotage.referentiel.models import Generation, IndicateurNational, Objectif
from pilotage.referentiel.services import referentiel_load
from pilotage.referentiel.unites import unite_fields
from pilotage.territoires.models import Departement, Institution
from pilotage.territoires.services import institution_get_or_create, territoires_load

from .comptes import ACCOUNTS, DEMO_PASSWORD, INSTITUTIONS, DemoAccount  # noqa: F401 - exposés
from .espace import espace_demo_load
from .refus import DEMO_DOMAIN, demo_refusal  # noqa: F401 - exposés par le paquet
from .reunions import reunions_demo_load

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _read(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text(encoding="utf-8"))


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _fiche_jalons(row: dict, overlay: dict) -> list[dict]:
    """Étapes de la fiche, dates complétées par celles de la démonstration."""
    jalon_dates = overlay.get("jalons", [])
    jalons = []
    for position, j in enumerate(row.get("jalons", [])):
        planned, done = jalon_dates[position] if position < len(jalon_dates) else (None, None)
        jalons.append(
            {
                "libelle": j["libelle"],
                "periode": j.get("periode", ""),
                "date_prevue": _date(j.get("date_prevue") or planned),
                "date_realisation": _date(done),
            }
        )
    return jalons


def _regrouped(items: list[dict]) -> list[dict]:
    """Les lignes d'un même indicateur pour plusieurs années (« Nombre d'IP entrantes :
    2023 : 424 », « … en 2024 : 598 ») réunies comme à l'import : un indicateur, dont les
    chiffres sont des valeurs datées (`data/valeurs_demo.json`)."""
    # L'analyseur des documents n'est chargé qu'au chargement de la démonstration.
    from pilotage.documents.importer.regroupement import group_lines

    _, groupes = group_lines(["" if item.get("national") else item["libelle"] for item in items])
    first = {g.positions[0]: g for g in groupes}
    hidden = {p for g in groupes for p in g.positions}
    result = []
    for index, item in enumerate(items):
        if index in first:
            result.append({"libelle": first[index].libelle, "national": False})
        elif index not in hidden:
            result.append(item)
    return result


def _fiche_indicateurs(row: dict, national: dict) -> list[dict]:
    """Indicateurs quantitatifs puis qualitatifs, rattachés au référentiel national ; unité
    et sens ceux de l'indicateur national, sinon l'unité que dit le libellé (un `sens` écrit
    dans les données l'emporte)."""
    indicateurs = []
    for nature in ("quantitatif", "qualitatif"):
        items = row.get(f"indicateurs_{nature}s", [])
        for item in _regrouped(items) if nature == "quantitatif" else items:
            linked = national.get(item["libelle"]) if item.get("national") else None
            fields = unite_fields(item["libelle"], linked) if nature == "quantitatif" else {}
            if item.get("sens"):
                fields["sens"] = item["sens"]
            indicateurs.append(
                {
                    "nature": nature,
                    "libelle": item["libelle"],
                    "indicateur_national": linked,
                    "valeur_texte": item.get("valeur_texte", ""),
                    **fields,
                }
            )
    return indicateurs


def _fiche_fields(row: dict, overlay: dict) -> dict:
    """Champs simples de la fiche, état et impact pris dans la démonstration."""
    return {
        "numero": row["numero"],
        "titre": row["titre"],
        "entete_objectifs": row.get("entete_objectifs", ""),
        "departement_libelle": row.get("departement_libelle", ""),
        "referent": row.get("referent", ""),
        "constat": row.get("constat", ""),
        "objectif_operationnel": row.get("objectif_operationnel", ""),
        "description": row.get("description", ""),
        "moyens_texte": row.get("moyens_texte", ""),
        "calendrier_texte": row.get("calendrier_texte", ""),
        "etat": overlay.get("etat", "non_demarree"),
        "a_impact": overlay.get("a_impact", False),
    }


def _fiche_payload(row: dict, generation: Generation, overlay: dict) -> dict:
    """Traduit une fiche du fichier de données en arguments de `fiche_create`."""
    national = {i.libelle: i for i in IndicateurNational.objects.filter(generation=generation)}
    jalons = _fiche_jalons(row, overlay)
    indicateurs = _fiche_indicateurs(row, national)
    return {
        "fields": _fiche_fields(row, overlay),
        "objectifs": list(
            Objectif.objects.filter(generation=generation, numero__in=row.get("objectifs", []))
        ),
        "acteurs": [
            {"nom": a["nom"], "implication": a.get("implication", "")}
            for a in row.get("acteurs", [])
        ],
        "financements": [contrats_services.financement_row(f) for f in row.get("financements", [])],
        "jalons": jalons,
        "indicateurs": indicateurs,
        "points_vigilance": [{"libelle": p} for p in row.get("points_vigilance", [])],
    }


def _load_contrat(data: dict, overlays: dict) -> tuple[Contrat, bool]:
    generation = Generation.objects.get(code=data["generation"])
    departement = Departement.objects.get(code=data["departement"])
    existing = Contrat.objects.filter(departement=departement, generation=generation).first()
    if existing:
        return existing, False
    signataires = []
    for s in data.get("signataires", []):
        institution = Institution.objects.filter(nom=s.get("institution")).first()
        signataires.append({"institution": institution, "fonction": s["fonction"]})
    contrat = contrats_services.contrat_create(
        departement=departement,
        generation=generation,
        statut=data.get("statut", Contrat.Statut.BROUILLON),
        date_signature=_date(data.get("date_signature")),
        annee_premiere_contractualisation=data.get("annee_premiere_contractualisation"),
        signataires=signataires,
    )
    for row in data["fiches"]:
        payload = _fiche_payload(row, generation, overlays.get(str(row["numero"]), {}))
        contrats_services.fiche_create(
            contrat=contrat,
            user=None,
            source=Revision.Source.DEMO,
            comment="Fiche chargée depuis le document publié par le département.",
            **payload,
        )
    if contrat.statut == Contrat.Statut.SIGNE:
        # Fige la version signée : référence des évolutions ultérieures.
        contrats_services.contrat_sign(
            contrat=contrat, date_signature=_date(data.get("date_signature"))
        )
    return contrat, True


def _load_valeurs(contrat: Contrat) -> None:
    """Valeurs d'indicateurs publiées (une seule fois : jamais de doublon au rechargement)."""
    from pilotage.suivi.models import ValeurIndicateur
    from pilotage.suivi.services import valeur_create

    if ValeurIndicateur.objects.of_contrat(contrat).exists():
        return
    for row in _read("valeurs_demo.json")["valeurs"]:
        quantitatifs = contrat.fiches.get(numero=row["fiche"]).indicateurs.filter(
            nature="quantitatif"
        )
        # Le libellé exact d'abord : « Nombre de MAP » avant « Nombre de MAP exercées… ».
        indicateur = quantitatifs.filter(libelle=row["indicateur"]).first() or quantitatifs.get(
            libelle__startswith=row["indicateur"]
        )
        valeur_create(
            indicateur=indicateur,
            user=None,
            annee=row["annee"],
            valeur=_decimal(row.get("valeur")),
            numerateur=_decimal(row.get("numerateur")),
            denominateur=_decimal(row.get("denominateur")),
            taux_indique=_decimal(row.get("taux_indique")),
            source=row.get("source", ""),
            commentaire=row.get("commentaire", ""),
        )


def _decimal(value) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


@transaction.atomic
@index_differe()  # chaque objet indexé une fois, dans son état final
def demo_load(*, base_url: str = "") -> dict:
    """Charge (ou complète) la démonstration ; renvoie un résumé de ce qui a été créé.
    `base_url` : adresse du site dans le lien de l'invitation envoyée (`SITE_URL` sinon)."""
    territoires_load()
    referentiel_load()
    created = {"contrats": 0, "comptes": 0}
    for nom, type_, code in INSTITUTIONS:
        departement = Departement.objects.get(code=code) if code else None
        region = departement.region if departement else Departement.objects.get(code="23").region
        institution_get_or_create(nom=nom, type=type_, departement=departement, region=region)

    overlays = _read("suivi_demo.json")
    contrats = {}
    for filename, overlay_key in (
        ("creuse_2025_2027.json", "creuse"),
        ("autre_departement.json", None),
    ):
        data = _read(filename)
        contrat, new = _load_contrat(data, overlays.get(overlay_key, {}) if overlay_key else {})
        contrats[data["departement"]] = contrat
        created["contrats"] += int(new)

    _load_valeurs(contrats["23"])

    User = get_user_model()
    for account in ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            institution = Institution.objects.get(nom=account.institution)
            user = User.objects.create_user(
                email=account.email,
                password=DEMO_PASSWORD,
                first_name=account.first_name,
                last_name=account.last_name,
                institution=institution,
                perimetre=account.perimetre,
                region=institution.region if account.perimetre == "regional" else None,
                is_staff=account.is_superuser,
                is_superuser=account.is_superuser,
            )
            created["comptes"] += 1
        contrat = contrats[account.departement]
        if account.role:
            contrats_services.habilitation_grant(user=user, contrat=contrat, role=account.role)
        for numero in account.referent_de:
            fiche = contrat.fiches.get(numero=numero)
            if not fiche.referents.filter(pk=user.pk).exists():
                fiche.referents.add(user)
    _load_releves(contrats["23"])
    _load_plans(contrats["23"])
    reunions_demo_load(contrats["23"], _read("reunions_demo.json"))
    _load_invitation(contrats["23"], base_url=base_url or settings.SITE_URL)
    espace_demo_load()
    return created


#: Invitation en attente de la démonstration (adresse inventée, domaine de démonstration).
DEMO_INVITATION = "nouvelle.referente" + DEMO_DOMAIN


def _load_invitation(contrat: Contrat, *, base_url: str) -> None:
    """Une invitation en attente sur le contrat de la Creuse, envoyée par le pilote du
    Conseil départemental : la page « Personnes et droits » n'est pas vide."""
    if Invitation.objects.filter(contrat=contrat, email=DEMO_INVITATION).exists():
        return
    invitation_create(
        contrat=contrat,
        user=get_user_model().objects.get(email="pilote.cd@demo.pilotage.test"),
        email=DEMO_INVITATION,
        role=Habilitation.Role.REFERENT,
        first_name="Sacha",
        last_name="Nouvelle-Référente",
        institution=Institution.objects.get(nom="CAF de la Creuse"),
        fiches=contrat.fiches.filter(numero=3),
        base_url=base_url.rstrip("/") + "/",
    )


PLANS_DEMO = [
    # fiche, début du libellé, référent de la collecte, méthode, fréquence, échéance (inventées)
    (
        1,
        "Ciblage de l'EPP",
        "referent@demo.pilotage.test",
        "observation",
        "trimestrielle",
        "2026-10-31",
    ),
    (
        6,
        "Nombre d'ETP dédiés en CRIP",
        "contributeur@demo.pilotage.test",
        "extraction",
        "annuelle",
        "2026-12-15",
    ),
    (
        2,
        "Nombre d'enfants ayant bénéficié d'un BESM",
        "contributeur@demo.pilotage.test",
        "extraction",
        "annuelle",
        "2027-01-31",
    ),
]


def _load_plans(contrat: Contrat) -> None:
    """Plans de collecte inventés pour la démonstration."""
    from pilotage.suivi.models import PlanCollecte

    if PlanCollecte.objects.filter(indicateur__fiche__contrat=contrat).exists():
        return
    User = get_user_model()
    for numero, libelle, email, methode, frequence, echeance in PLANS_DEMO:
        PlanCollecte.objects.create(
            indicateur=contrat.fiches.get(numero=numero).indicateurs.get(
                libelle__startswith=libelle
            ),
            referent_collecte=User.objects.get(email=email),
            methode=methode,
            frequence=frequence,
            prochaine_echeance=_date(echeance),
        )


RELEVES_DEMO = [
    {
        "fiche": 1,
        "date": "2026-03-12",
        "situation": "Consultation prénatale, centre de PMI de Guéret",
        "questions": "Les femmes vulnérables sont-elles repérées assez tôt et orientées vers l'EPP ?",
        "faits": "Sur le trimestre, la grille de repérage a été utilisée pour toutes les premières consultations. "
        "« On sait enfin à qui proposer l'entretien en priorité » (sage-femme de PMI).",
        "ameliorations": "Transmettre la grille aux sages-femmes libérales.",
        "auteur": "contributeur@demo.pilotage.test",
        "etapes": [
            ("relire", "referent@demo.pilotage.test"),
            ("valider", "validateur@demo.pilotage.test"),
            ("partager", "validateur@demo.pilotage.test"),
        ],
    },
    {
        "fiche": 9,
        "date": "2026-05-20",
        "situation": "Réunion du comité des jeunes",
        "questions": "La parole des enfants est-elle recueillie et prise en compte par l'ODPE ?",
        "faits": "Le comité a présenté trois propositions à l'ODPE ; deux ont été reprises dans le plan de travail. "
        "« On nous a répondu point par point » (un jeune du comité).",
        "ameliorations": "Organiser un retour écrit aux jeunes après chaque séance de l'ODPE.",
        "auteur": "contributeur@demo.pilotage.test",
        "etapes": [
            ("relire", "referent@demo.pilotage.test"),
            ("valider", "validateur@demo.pilotage.test"),
        ],
    },
    {
        "fiche": 1,
        "date": "2026-10-02",
        "situation": "Réunion d'équipe PMI",
        "questions": "Le courrier de mise à disposition atteint-il toutes les femmes déclarant une grossesse ?",
        "faits": "Brouillon en cours de rédaction.",
        "ameliorations": "",
        "auteur": "contributeur@demo.pilotage.test",
        "etapes": [],
    },
]


def _load_releves(contrat: Contrat) -> None:
    """Relevés inventés pour la démonstration, avec leur circuit de validation."""
    from pilotage.suivi import services as suivi_services
    from pilotage.suivi.models import Releve

    if Releve.objects.filter(fiche__contrat=contrat).exists():
        return
    User = get_user_model()
    actions = {
        "relire": suivi_services.releve_relire,
        "valider": suivi_services.releve_valider,
        "partager": suivi_services.releve_partager,
    }
    for row in RELEVES_DEMO:
        fiche = contrat.fiches.get(numero=row["fiche"])
        releve = suivi_services.releve_create(
            fiche=fiche,
            user=User.objects.get(email=row["auteur"]),
            indicateur=fiche.indicateurs.filter(nature="qualitatif").first(),
            date_observation=_date(row["date"]),
            situation=row["situation"],
            questions=row["questions"],
            faits=row["faits"],
            ameliorations=row["ameliorations"],
        )
        for action, email in row["etapes"]:
            actions[action](releve=releve, user=User.objects.get(email=email))
