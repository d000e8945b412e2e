"""Corpus d'import (issue 14) : les fiches attendues et les variantes de libellés.

Une seule description des données : chaque variante de mise en page (`generer.VARIANTES`)
écrit ces mêmes fiches, en .docx et en .odt ; le score compare ce que l'import lit avec
ce qui est écrit ici. Tout le contenu est inventé (« (fictif) ») : aucun nom de personne.

Conventions de l'attendu :
- une liste vide est écrite dans le document par une mention (« néant », « NC »…) qui
  n'est pas un élément ;
- une ligne de financement « 12 500 € dont 3 000 € de valorisation » est UNE ligne :
  financeur, montant total, valorisation vraie (le modèle n'a qu'un booléen) ;
- un montant est en euros (« 12,5 k€ » = 12 500).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Financement:
    financeur: str  # clé de contrats.Financement.Financeur : etat, cd, ars_fir, ondam, caf, autre
    montant: int
    valorisation: bool = False
    dont_valorisation: int | None = None  # part valorisée écrite « dont … de valorisation »


@dataclass(frozen=True)
class Fiche:
    numero: int
    objectifs: list[int]
    titre: str
    departement: str
    referent: str
    constat: str
    objectif_operationnel: str
    description: list[str]
    acteurs: list[str]
    financements: list[Financement]
    calendrier: list[str]
    indicateurs_quantitatifs: list[str]
    indicateurs_qualitatifs: list[str]
    points_vigilance: list[str] = field(default_factory=list)


DEPARTEMENT = "Conseil départemental de Fictivie (fictif)"

FICHES = [
    Fiche(
        numero=1,
        objectifs=[2],
        titre="Renforcer les visites à domicile prénatales (fictif)",
        departement=DEPARTEMENT,
        referent="Service de PMI (fictif)",
        constat="Les visites prénatales restent rares dans le nord du département.",
        objectif_operationnel="Proposer une visite à chaque future mère suivie.",
        description=[
            "Recruter une sage-femme supplémentaire",
            "Informer les maternités partenaires",
        ],
        acteurs=["Maternité du centre (fictif)", "CPAM", "Sages-femmes libérales"],
        financements=[
            Financement("etat", 12500),
            Financement("cd", 8000, valorisation=True),
        ],
        calendrier=["Recrutement au premier semestre 2025", "Bilan annuel en décembre"],
        indicateurs_quantitatifs=["Nombre de visites prénatales réalisées (valeur cible : 300)"],
        indicateurs_qualitatifs=["Satisfaction des familles accompagnées"],
        points_vigilance=["Difficulté de recrutement des sages-femmes"],
    ),
    Fiche(
        numero=2,
        objectifs=[5, 7],
        titre="Créer un lieu d'accueil parents-enfants itinérant (fictif)",
        departement=DEPARTEMENT,
        referent="Direction enfance famille (fictif)",
        constat="Aucun lieu d'accueil parents-enfants dans trois cantons ruraux.",
        objectif_operationnel="Ouvrir un accueil itinérant dans trois communes.",
        description=["Acheter un véhicule aménagé", "Former deux accueillants"],
        acteurs=["CAF", "Communes rurales (fictif)", "Association Petits Pas (fictif)"],
        financements=[
            Financement("caf", 45000),
            Financement("cd", 20000, valorisation=True, dont_valorisation=5000),
            Financement("etat", 1200000),
        ],
        calendrier=["Achat du véhicule", "Première tournée", "Évaluation à un an"],
        indicateurs_quantitatifs=["Nombre de familles accueillies", "Nombre de tournées"],
        indicateurs_qualitatifs=["Retour des accueillants"],
        points_vigilance=[],
    ),
    Fiche(
        numero=3,
        objectifs=[11],
        titre="Développer l'accueil familial des jeunes enfants confiés (fictif)",
        departement=DEPARTEMENT,
        referent="Pôle protection de l'enfance (fictif)",
        constat="Le nombre d'assistants familiaux baisse chaque année.",
        objectif_operationnel="Recruter dix assistants familiaux par an.",
        description=["Campagne de recrutement", "Revalorisation de l'accompagnement"],
        acteurs=["Assistants familiaux", "France Travail"],
        financements=[
            Financement("cd", 3500),
            Financement("ars_fir", 15000),
        ],
        calendrier=[],
        indicateurs_quantitatifs=["Nombre d'assistants familiaux agréés – cible : 20 en 2027"],
        indicateurs_qualitatifs=[],
        points_vigilance=["Âge moyen élevé des assistants familiaux", "Concurrence des métiers"],
    ),
    Fiche(
        numero=4,
        objectifs=[13],
        titre="Accompagner les jeunes majeurs vers l'autonomie (fictif)",
        departement=DEPARTEMENT,
        referent="Mission jeunes majeurs (fictif)",
        constat="Des sorties sèches de l'aide sociale à l'enfance à dix-huit ans.",
        objectif_operationnel="Un projet d'autonomie pour chaque jeune de dix-sept ans.",
        description=["Entretien à dix-sept ans", "Accès au logement accompagné"],
        acteurs=["Mission locale", "Bailleurs sociaux", "Foyer de jeunes travailleurs"],
        financements=[
            Financement("etat", 30000),
            Financement("cd", 30000),
            Financement("autre", 2500),
        ],
        calendrier=["Entretiens systématiques dès 2025", "Conventions avec les bailleurs"],
        indicateurs_quantitatifs=["Nombre de contrats jeunes majeurs signés (Cible 2027 : 40)"],
        indicateurs_qualitatifs=["Parcours des jeunes à six mois"],
        points_vigilance=["Offre de logement limitée"],
    ),
]

# Libellés des rubriques : le modèle officiel (Annexe 5) et les variantes du corpus.
# (libellé, d'où il vient) ; « inventé » : variante plausible écrite pour le corpus,
# sans document source réel.
SYNONYMES: dict[str, dict[str, tuple[str, str]]] = {
    "officiel": {
        "constat": ("Constat du diagnostic", "modèle officiel, Annexe 5"),
        "objectif_operationnel": ("Objectif opérationnel", "modèle officiel, Annexe 5"),
        "description": ("Description de l'action", "modèle officiel, Annexe 5"),
        "acteurs": ("Identification des acteurs à mobiliser", "modèle officiel, Annexe 5"),
        "moyens": ("Moyens financiers prévisionnels", "modèle officiel, Annexe 5"),
        "calendrier": ("Calendrier prévisionnel", "modèle officiel, Annexe 5"),
        "indicateurs": (
            "Indicateurs quantitatifs et qualitatifs de mise en œuvre de l'action",
            "modèle officiel, Annexe 5",
        ),
        "indicateurs_quantitatifs": ("Indicateurs quantitatifs", "fiches de la Creuse"),
        "indicateurs_qualitatifs": ("Indicateurs qualitatifs", "fiches de la Creuse"),
        "points_vigilance": ("Points de vigilance", "modèle officiel, Annexe 5"),
    },
    "synonymes_a": {
        "constat": ("Diagnostic", "inventé"),
        "objectif_operationnel": ("Objectifs opérationnels", "inventé"),
        "description": ("Descriptif de l'action", "inventé"),
        "acteurs": ("Partenaires", "inventé"),
        "moyens": ("Budget prévisionnel", "inventé"),
        "calendrier": ("Échéancier", "inventé"),
        "indicateurs": ("Indicateurs de suivi", "inventé"),
        "indicateurs_quantitatifs": ("Indicateurs quantitatifs", "inventé"),
        "indicateurs_qualitatifs": ("Indicateurs qualitatifs", "inventé"),
        "points_vigilance": ("Points d'attention", "inventé"),
    },
    "synonymes_b": {
        "constat": ("Constat / besoins identifiés", "inventé"),
        "objectif_operationnel": ("Obj. opérationnel", "inventé"),
        "description": ("Actions prévues", "inventé"),
        "acteurs": ("Acteurs", "inventé"),
        "moyens": ("Financement", "inventé"),
        "calendrier": ("Planning", "inventé"),
        "indicateurs": ("Indicateurs d'évaluation", "inventé"),
        "indicateurs_quantitatifs": ("Indicateurs chiffrés", "inventé"),
        "indicateurs_qualitatifs": ("Critères qualitatifs", "inventé"),
        "points_vigilance": ("Risques et points de vigilance", "inventé"),
    },
}

# Comment chaque financeur est nommé dans un document, selon la variante.
FINANCEURS: dict[str, dict[str, str]] = {
    "court": {
        "etat": "Etat",
        "cd": "CD",
        "ars_fir": "ARS (FIR)",
        "ondam": "ONDAM",
        "caf": "CAF",
        "autre": "Autres",
    },
    "long": {
        "etat": "État",
        "cd": "Conseil départemental",
        "ars_fir": "Agence régionale de santé (FIR)",
        "ondam": "ONDAM",
        "caf": "Caisse d'allocations familiales (CAF)",
        "autre": "Autres financeurs",
    },
}

PUBLICATION = [
    "Publié sur www.fictivie.fr le 09/10/2025",
    "Envoyé en préfecture le 08/10/2025",
    "Reçu en préfecture le 08/10/2025",
    "ID : 023-000000000-20251002-CP2025000-DE",
]
