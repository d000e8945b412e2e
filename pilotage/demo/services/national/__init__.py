"""Jeu de données national fictif (issue 15) : un contrat 2025-2027 signé pour chacun des
101 départements réels (ou les N premiers), pour les démonstrations des vues régionales et
nationale et pour la mesure de charge (`bench/charge.py`).

Tout y est inventé et marqué comme tel : le contrat porte `donnees_fictives` (ses pages
affichent « Données fictives »), les titres des fiches et les textes du contrat commencent
par « [Données fictives] ». Les volumes passent par `bulk_create` (un nombre fixe de
requêtes par contrat) ; le contrat, sa signature (version figée) et les droits passent
par les services. Idempotent : un département qui a déjà un contrat 2025-2027 (généré, ou
la démonstration de la Creuse) est laissé tel quel. Chaque contrat est écrit dans sa
propre transaction : une interruption ne laisse pas de contrat à moitié créé.
"""

import datetime
import time
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from pilotage.contrats import services as contrats_services
from pilotage.contrats.models import Contrat, Habilitation
from pilotage.referentiel.models import Generation
from pilotage.referentiel.services import referentiel_load
from pilotage.territoires.models import Departement, Institution, Region
from pilotage.territoires.services import institution_get_or_create, territoires_load

from ..refus import DEMO_DOMAIN
from .activite import releves_generer, reunions_generer, valeurs_generer
from .contenu import MARQUE
from .fiches import Referentiel, fiches_generer

GENERATION = "2025-2027"
#: Mot de passe des comptes générés : celui de la démonstration (`DEMO_PASSWORD`).
PILOTES = {
    # clé : (type d'institution, nom de l'institution, fonction du signataire)
    "cd": (
        Institution.Type.CD,
        "Conseil départemental – {nom}",
        "Président du Conseil départemental",
    ),
    "ddets": (Institution.Type.DDETS, "DDETS – {nom}", "Préfet du département"),
    "ars": (Institution.Type.ARS, "ARS {region} – délégation {nom}", "Directeur général de l'ARS"),
}


def pilote_email(cle: str, code: str) -> str:
    """Adresse du pilote généré (`cle` : cd, ddets, ars) du département `code`."""
    return f"fictif.{cle}.{code.lower()}{DEMO_DOMAIN}"


def regional_email(region: Region) -> str:
    return f"fictif.regional.{region.code}{DEMO_DOMAIN}"


@dataclass
class Bilan:
    """Ce que la génération a créé (affiché par la commande)."""

    contrats: int = 0
    deja_presents: int = 0
    fiches: int = 0
    valeurs: int = 0
    releves: int = 0
    reunions: int = 0
    decisions: int = 0
    comptes: int = 0
    secondes: float = 0.0
    departements: list[str] = field(default_factory=list)


class _Comptes:
    """Crée les comptes en lot, le mot de passe haché une seule fois (le hachage de
    production coûte un quart de seconde : 400 comptes, deux minutes sinon)."""

    def __init__(self, password: str):
        self.password_hash = make_password(password)
        self.created = 0

    def get_or_create(self, *, email, first_name, last_name, institution, **extra):
        User = get_user_model()
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(
                email=email,
                first_name=first_name,
                last_name=last_name,
                institution=institution,
                password=self.password_hash,
                **extra,
            )
            user.save()
            self.created += 1
        return user


def _pilotes(departement: Departement, comptes: _Comptes) -> dict:
    """Les trois pilotes (Conseil départemental, DDETS, ARS) et leurs institutions."""
    pilotes = {}
    for cle, (type_, nom, _fonction) in PILOTES.items():
        institution = institution_get_or_create(
            nom=nom.format(nom=departement.nom, region=departement.region.nom),
            type=type_,
            departement=departement,
            region=departement.region,
        )
        pilotes[cle] = comptes.get_or_create(
            email=pilote_email(cle, departement.code),
            first_name="Pilote",
            last_name=f"{cle.upper()} {departement.code} (fictif)",
            institution=institution,
        )
    return pilotes


def _regionaux(comptes: _Comptes, regions) -> None:
    """Un compte de périmètre régional (DREETS) par région des départements générés."""
    for region in regions:
        institution = institution_get_or_create(
            nom=f"DREETS {region.nom}", type=Institution.Type.DREETS, region=region
        )
        comptes.get_or_create(
            email=regional_email(region),
            first_name="Régional",
            last_name=f"{region.nom} (fictif)",
            institution=institution,
            perimetre="regional",
            region=region,
        )


@transaction.atomic
def _contrat(departement, *, generation, position, fiches, reunions, referentiel, comptes, bilan):
    today = timezone.localdate()
    pilotes = _pilotes(departement, comptes)
    signature = datetime.date(2025, 3 + position % 4, 1 + position % 27)
    contrat = contrats_services.contrat_create(
        departement=departement,
        generation=generation,
        statut=Contrat.Statut.SIGNE,
        date_signature=signature,
        annee_premiere_contractualisation=2020 + position % 4,
        signataires=[
            {"institution": pilotes[cle].institution, "fonction": f"{MARQUE} {fonction}"}
            for cle, (_t, _n, fonction) in PILOTES.items()
        ],
        donnees_fictives=True,
    )
    Habilitation.objects.bulk_create(
        Habilitation(user=user, contrat=contrat, role=Habilitation.Role.PILOTE)
        for user in pilotes.values()
    )
    created = fiches_generer(contrat=contrat, nombre=fiches, referentiel=referentiel, today=today)
    # La version signée figée (référence des évolutions), avant tout suivi, comme un
    # contrat réel signé puis suivi.
    contrats_services.contrat_sign(contrat=contrat, date_signature=signature)
    bilan.fiches += len(created)
    bilan.valeurs += valeurs_generer(contrat=contrat, fiches=created, position=position)
    bilan.releves += releves_generer(contrat=contrat, fiches=created, pilotes=pilotes)
    faites = reunions_generer(contrat=contrat, fiches=created, pilotes=pilotes, nombre=reunions)
    bilan.reunions += faites["reunions"]
    bilan.decisions += faites["decisions"]
    bilan.contrats += 1
    bilan.departements.append(departement.code)


def donnees_nationales_generer(
    *, departements: int | None = None, fiches: int = 20, reunions: int = 6, password: str
) -> Bilan:
    """Génère le jeu national (les `departements` premiers départements par code, tous
    sinon) ; renvoie le bilan de ce qui a été créé. `password` : celui des comptes créés."""
    started = time.perf_counter()
    territoires_load()
    referentiel_load()
    generation = Generation.objects.get(code=GENERATION)
    referentiel = Referentiel(generation)
    comptes = _Comptes(password)
    bilan = Bilan()
    choisis = list(Departement.objects.select_related("region").order_by("code"))
    choisis = choisis[:departements] if departements is not None else choisis
    existants = set(
        Contrat.objects.filter(generation=generation).values_list("departement_id", flat=True)
    )
    for position, departement in enumerate(choisis):
        if departement.pk in existants:
            bilan.deja_presents += 1
            continue
        _contrat(
            departement,
            generation=generation,
            position=position,
            fiches=fiches,
            reunions=reunions,
            referentiel=referentiel,
            comptes=comptes,
            bilan=bilan,
        )
    _regionaux(comptes, sorted({d.region for d in choisis}, key=lambda r: r.code))
    bilan.comptes = comptes.created
    bilan.secondes = time.perf_counter() - started
    return bilan
