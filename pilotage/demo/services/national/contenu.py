"""Contenu inventé du jeu national : titres, textes, acteurs, étapes, décisions.

Tout est fictif et marqué comme tel (`MARQUE` devant les titres des fiches et les textes
au niveau du contrat) ; aucun nom de personne réelle, d'enfant ou de famille. Les thèmes
suivent ceux des contrats publiés (PMI, CRIP, AEMO, jeunes majeurs…), sans en reprendre
le texte. Le tirage est déterministe (graine tirée du code du département) : deux
générations du même département donnent le même contrat.
"""

import random

MARQUE = "[Données fictives]"

#: (titre, numéros des objectifs du référentiel 2025-2027) — un objectif qui porte des
#: indicateurs nationaux (1, 2, 3, 6, 7, 8, 10) revient assez souvent pour que chaque
#: indicateur national ait des valeurs dans chaque département.
FICHES = [
    ("Renforcer l'entretien prénatal précoce en PMI", (1, 2)),
    ("Développer les visites à domicile des sages-femmes de PMI", (1, 2)),
    ("Déployer le bilan de santé à l'entrée en protection de l'enfance", (3,)),
    ("Structurer la cellule de recueil des informations préoccupantes", (8,)),
    ("Développer l'accueil chez un tiers digne de confiance", (7,)),
    ("Renforcer l'aide éducative à domicile et l'AEMO", (7,)),
    ("Accompagner les jeunes majeurs vers l'autonomie", (10,)),
    ("Soutenir les familles par l'intervention de techniciens de l'intervention sociale", (6,)),
    ("Former les professionnels au repérage des violences faites aux enfants", (4,)),
    ("Associer les enfants accueillis à la gouvernance (comité des jeunes)", (5,)),
    ("Améliorer le parcours de soins des enfants confiés", (3, 13)),
    ("Créer une équipe mobile de pédopsychiatrie", (13, 14)),
    ("Prévenir les ruptures de scolarité des enfants protégés", (11,)),
    ("Renforcer l'observatoire départemental de la protection de l'enfance", (8,)),
    ("Coordonner handicap et protection de l'enfance", (14,)),
    ("Développer le parrainage et le mentorat", (10, 11)),
    ("Recruter et fidéliser les assistants familiaux", (6, 7)),
    ("Prévenir la prostitution des mineurs", (4, 12)),
    ("Soutenir la parentalité avec les centres sociaux", (1, 9)),
    ("Outiller les agents de l'aide sociale à l'enfance", (8,)),
]

ACTEURS = [
    ("Conseil départemental – direction enfance famille", "Pilotage de l'action"),
    ("Caisse d'allocations familiales", "Cofinancement et relais auprès des familles"),
    ("Agence régionale de santé", "Appui à l'offre de soins"),
    ("Éducation nationale", "Repérage et relais dans les établissements"),
    ("Protection judiciaire de la jeunesse", "Articulation des mesures"),
    ("Centre hospitalier", "Consultations et équipe mobile"),
    ("Association habilitée", "Mise en œuvre des mesures"),
    ("Maison départementale des personnes handicapées", "Orientation et coordination"),
    ("Mission locale", "Insertion des jeunes"),
    ("Centres sociaux", "Ateliers de parentalité"),
]

ETAPES = [
    "Diagnostic partagé avec les partenaires",
    "Rédaction du cahier des charges",
    "Recrutement ou désignation des professionnels",
    "Lancement de l'action sur un premier territoire",
    "Extension à l'ensemble du département",
    "Bilan intermédiaire en comité de suivi",
]

VIGILANCES = [
    "Difficultés de recrutement des professionnels",
    "Délais de mise en place des conventions",
    "Disponibilité des données de suivi",
    "Articulation avec les dispositifs existants",
    "Mobilisation des familles les plus éloignées",
]

DECISIONS = [
    ("acteurs", "Associer la CAF au prochain comité technique de l'action"),
    ("moyens", "Réexaminer la répartition des crédits entre les deux territoires"),
    ("indicateurs", "Préciser la source et la date d'extraction de l'indicateur"),
    ("calendrier", "Reporter l'extension au second semestre"),
    ("vigilance", "Suivre le recrutement des professionnels à chaque réunion"),
    ("etat", "Présenter un bilan de la première année en comité de pilotage"),
    ("autre", "Transmettre aux partenaires la synthèse des retours des familles"),
]

NOTES = [
    "Premiers accompagnements réalisés dans les délais prévus.",
    "Bonne mobilisation des partenaires, réunions régulières.",
    "Les retours des familles accompagnées sont positifs.",
    "Le circuit de transmission des informations est stabilisé.",
]

RELEVES = [
    (
        "Réunion d'équipe du service",
        "L'action atteint-elle les familles visées ?",
        "Les professionnels constatent une orientation plus précoce des familles.",
    ),
    (
        "Entretien avec des partenaires",
        "Les partenaires connaissent-ils le dispositif ?",
        "Trois partenaires sur quatre orientent désormais des familles vers l'action.",
    ),
    (
        "Groupe de parole de jeunes accueillis",
        "Les jeunes se sentent-ils associés aux décisions qui les concernent ?",
        "Les jeunes disent être mieux informés ; citations anonymisées conservées.",
    ),
]


def rng_for(code: str, salt: str = "") -> random.Random:
    """Tirage déterministe d'un département (et d'une partie de son contenu)."""
    return random.Random(f"pilotage-national-{code}-{salt}")


def fiche_theme(position: int) -> tuple[str, tuple[int, ...]]:
    """Le thème de la fiche n°`position + 1` ; au-delà de 20, les thèmes reviennent en
    « volet 2 », « volet 3 »…"""
    titre, objectifs = FICHES[position % len(FICHES)]
    volet = position // len(FICHES)
    return (f"{titre} (volet {volet + 1})" if volet else titre), objectifs


def textes(titre: str, departement: str) -> dict[str, str]:
    """Les rubriques rédigées d'une fiche, inventées à partir de son thème."""
    sujet = titre[:1].lower() + titre[1:]
    return {
        "constat": (
            f"{MARQUE} Le diagnostic partagé de {departement} montre des besoins non couverts "
            f"et une coordination à construire pour {sujet}. Les partenaires signalent des "
            "délais d'accompagnement trop longs et des inégalités entre territoires.\n"
            "- Des familles orientées tardivement\n"
            "- Des professionnels peu nombreux sur certains secteurs\n"
            "- Des données de suivi incomplètes"
        ),
        "objectif_operationnel": (
            f"{MARQUE} {titre} sur l'ensemble du département d'ici à la fin du contrat, "
            "avec un suivi annuel partagé en comité."
        ),
        "description": (
            f"{MARQUE} L'action est conduite par le Conseil départemental avec les services "
            "de l'État, l'ARS et leurs partenaires. Elle commence sur un territoire pilote, "
            "puis s'étend après un bilan intermédiaire présenté en comité de suivi.\n"
            "- Désignation d'un référent par territoire\n"
            "- Conventions avec les partenaires\n"
            "- Bilan annuel des résultats"
        ),
        "moyens_texte": f"{MARQUE} Crédits de l'État, du Département et de leurs partenaires.",
        "calendrier_texte": f"{MARQUE} Lancement en 2025, extension en 2026, bilan en 2027.",
    }
