"""Les comptes de démonstration (un par rôle) et les institutions qu'ils représentent ;
tous inventés, domaine `demo.pilotage.test`."""

from dataclasses import dataclass

from pilotage.contrats.models import Habilitation
from pilotage.territoires.models import Institution

DEMO_PASSWORD = "demo-pilotage-2025"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    institution: str
    role: str | None  # rôle sur le contrat, ou None
    departement: str = "23"
    perimetre: str = "local"
    referent_de: tuple[int, ...] = ()
    is_superuser: bool = False


ACCOUNTS = [
    DemoAccount(
        "pilote.cd@demo.pilotage.test",
        "Camille",
        "Pilote-CD",
        "Conseil départemental de la Creuse",
        Habilitation.Role.PILOTE,
    ),
    DemoAccount(
        "pilote.ddets@demo.pilotage.test",
        "Dominique",
        "Pilote-DDETS",
        "DDETS de la Creuse",
        Habilitation.Role.PILOTE,
    ),
    DemoAccount(
        "pilote.ars@demo.pilotage.test",
        "Alix",
        "Pilote-ARS",
        "ARS Nouvelle-Aquitaine – délégation de la Creuse",
        Habilitation.Role.PILOTE,
    ),
    DemoAccount(
        "referent@demo.pilotage.test",
        "Romane",
        "Référente",
        "Conseil départemental de la Creuse",
        Habilitation.Role.REFERENT,
        referent_de=(1, 2, 3, 4, 5),
    ),
    DemoAccount(
        "contributeur@demo.pilotage.test",
        "Claude",
        "Contributeur",
        "Conseil départemental de la Creuse",
        Habilitation.Role.CONTRIBUTEUR,
    ),
    DemoAccount(
        "contributeur.caf@demo.pilotage.test",
        "Camille",
        "Partenaire-CAF",
        "CAF de la Creuse",
        Habilitation.Role.CONTRIBUTEUR,
    ),
    DemoAccount(
        "validateur@demo.pilotage.test",
        "Valérie",
        "Validatrice",
        "Conseil départemental de la Creuse",
        Habilitation.Role.VALIDATEUR,
    ),
    DemoAccount(
        "lecteur@demo.pilotage.test",
        "Léo",
        "Lecteur",
        "Conseil départemental de la Creuse",
        Habilitation.Role.LECTEUR,
    ),
    DemoAccount(
        "regional@demo.pilotage.test",
        "Régine",
        "Régionale",
        "DREETS Nouvelle-Aquitaine",
        None,
        perimetre="regional",
    ),
    DemoAccount(
        "national@demo.pilotage.test", "Nathan", "National", "DGCS", None, perimetre="national"
    ),
    DemoAccount(
        "pilote.41@demo.pilotage.test",
        "Morgane",
        "Pilote-Fictif",
        "Conseil départemental de Loir-et-Cher",
        Habilitation.Role.PILOTE,
        departement="41",
    ),
    DemoAccount(
        "admin@demo.pilotage.test",
        "Ada",
        "Administratrice",
        "DGCS",
        None,
        perimetre="national",
        is_superuser=True,
    ),
]

INSTITUTIONS = [
    ("Conseil départemental de la Creuse", Institution.Type.CD, "23"),
    ("Préfecture de la Creuse", Institution.Type.PREFECTURE, "23"),
    ("DDETS de la Creuse", Institution.Type.DDETS, "23"),
    ("ARS Nouvelle-Aquitaine – délégation de la Creuse", Institution.Type.ARS, "23"),
    ("ARS Nouvelle-Aquitaine", Institution.Type.ARS, None),
    ("CAF de la Creuse", Institution.Type.CAF, "23"),
    ("DREETS Nouvelle-Aquitaine", Institution.Type.DREETS, None),
    ("DGCS", Institution.Type.DGCS, None),
    ("Conseil départemental de Loir-et-Cher", Institution.Type.CD, "41"),
]
