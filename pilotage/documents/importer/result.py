"""Résultat de l'analyse d'un document : fiches lues et points à vérifier.

`ImportResult.to_json()` est le format publié par `import_fiches --dry-run --format json`
(décrit dans le README) : les clés et leurs types ne changent pas sans mise à jour du README.
"""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class ImportWarning:
    """Point à vérifier, rattaché à une fiche (par son numéro) ou au document entier."""

    message: str
    fiche_numero: int | None = None

    def to_json(self) -> dict:
        """{"fiche": numéro ou null, "message": "…"}."""
        return {"fiche": self.fiche_numero, "message": self.message}


def _json_amount(value) -> int | float | None:
    """Montant en euros : entier quand il est rond, nombre décimal sinon, null si absent."""
    if value is None:
        return None
    amount = Decimal(str(value))
    if amount == amount.to_integral_value():
        return int(amount)
    return float(amount)


def _filled(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != []


@dataclass
class EnteteFiche:
    """En-tête d'une fiche lue : numéro, objectifs, titre, département, référent."""

    numero: int | None = None
    objectifs: list[int] = field(default_factory=list)
    entete_objectifs: str = ""
    titre: str = ""
    departement: str = ""
    referent: str = ""


#: Rubriques attendues d'une fiche du modèle officiel, pour le score de confiance de
#: l'aperçu (« 9 champs sur 11 reconnus ») : libellé → attributs dont l'un suffit.
CHAMPS_ATTENDUS: dict[str, tuple[str, ...]] = {
    "numéro": ("numero",),
    "objectifs": ("objectifs",),
    "titre": ("titre",),
    "référent": ("referent",),
    "constat": ("constat",),
    "objectif opérationnel": ("objectif_operationnel",),
    "description": ("description",),
    "acteurs": ("acteurs",),
    "moyens financiers": ("financements", "moyens_texte"),
    "calendrier": ("calendrier", "calendrier_texte"),
    "indicateurs": ("indicateurs_quantitatifs", "indicateurs_qualitatifs"),
}


@dataclass(frozen=True)
class Confiance:
    """Score de confiance d'une fiche lue : rubriques attendues trouvées, et manquantes."""

    reconnus: int
    attendus: int
    manquants: tuple[str, ...]

    @property
    def complet(self) -> bool:
        return self.reconnus == self.attendus

    @property
    def libelle(self) -> str:
        """« 9 champs sur 11 reconnus » : le badge de la fiche dans l'aperçu."""
        return f"{self.reconnus} champ{'s' if self.reconnus > 1 else ''} sur {self.attendus} reconnu{'s' if self.reconnus > 1 else ''}"


@dataclass
class ParsedFiche(EnteteFiche):
    """Une fiche action telle que lue dans le document (textes au format « texte structuré »)."""

    constat: str = ""
    objectif_operationnel: str = ""
    description: str = ""
    acteurs: list[str] = field(default_factory=list)
    moyens_texte: str = ""
    financements: list[dict] = field(default_factory=list)
    calendrier_texte: str = ""
    calendrier: list[str] = field(default_factory=list)
    indicateurs_quantitatifs: list[str] = field(default_factory=list)
    indicateurs_qualitatifs: list[str] = field(default_factory=list)
    points_vigilance: list[str] = field(default_factory=list)
    valeurs_proposees: list[dict] = field(default_factory=list)
    #: Lignes d'un même indicateur pour des années différentes, réunies en un indicateur
    #: (`regroupement.Regroupement`) : ses chiffres deviennent des valeurs datées.
    regroupements: list = field(default_factory=list)
    #: Lignes des indicateurs quantitatifs telles qu'écrites, avant regroupement.
    quantitatifs_lus: list[str] = field(default_factory=list)
    #: Lignes retirées que dit le document (« CH (retiré le 02/03/2026) », écrit par
    #: l'export) : {« acteurs:CH »: date}, lues sans leur mention.
    retraits: dict = field(default_factory=dict)

    def confiance(self) -> Confiance:
        """Rubriques attendues (`CHAMPS_ATTENDUS`) lues non vides dans le document."""
        manquants = tuple(
            label
            for label, names in CHAMPS_ATTENDUS.items()
            if not any(_filled(getattr(self, name)) for name in names)
        )
        attendus = len(CHAMPS_ATTENDUS)
        return Confiance(attendus - len(manquants), attendus, manquants)

    def to_json(self) -> dict:
        """Forme publiée d'une fiche (voir le README, « Importer des fiches actions »)."""
        return {
            "numero": self.numero,
            "objectifs": list(self.objectifs),
            "titre": self.titre,
            "departement": self.departement,
            "referent": self.referent,
            "constat": self.constat,
            "objectif_operationnel": self.objectif_operationnel,
            "description": self.description,
            "acteurs": list(self.acteurs),
            "financements": [
                {
                    "financeur": row["financeur"],
                    "montant": _json_amount(row.get("montant")),
                    "valorisation": bool(row.get("valorisation")),
                    "note": row.get("note", ""),
                }
                for row in self.financements
            ],
            "calendrier": list(self.calendrier),
            "indicateurs_quantitatifs": list(self.indicateurs_quantitatifs),
            "indicateurs_qualitatifs": list(self.indicateurs_qualitatifs),
            "points_vigilance": list(self.points_vigilance),
            "valeurs_indicateurs": [v for g in self.regroupements for v in g.to_json()],
        }


@dataclass
class ImportResult:
    """Toutes les fiches reconnues dans un document, dans l'ordre, et les points à vérifier."""

    fiches: list[ParsedFiche] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)

    def to_json(self) -> dict:
        """{"fiches": [...], "warnings": [...]} : sérialisable tel quel par `json.dumps`."""
        return {
            "fiches": [fiche.to_json() for fiche in self.fiches],
            "warnings": [warning.to_json() for warning in self.warnings],
        }
