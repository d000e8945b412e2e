"""Contenu d'une fiche action dans l'ordre du modèle officiel, commun aux exports
Word, OpenDocument et PDF : un en-tête et des rangées « libellé → blocs ».

Un bloc est un paragraphe (`bullet=False`) ou un élément de liste (`bullet=True`).
Le contenu est écrit pour être relu par l'import : une ligne par financement
(`financements.format_line`), une puce par étape, indicateur, acteur et point de vigilance ;
une ligne retirée du contrat suivie de « (retiré le JJ/MM/AAAA) » (`retraits.mention`),
que l'import relit comme un retrait.
"""

from dataclasses import dataclass, field

from pilotage.contrats.models import Contrat, FicheAction
from pilotage.contrats.retraits import mention
from pilotage.core.formats import parse_structured_text, truncate_for_export

from ..financements import format_line

BANNER = "Contractualisation en prévention et en protection de l'enfance {generation}"


def document_title(fiches, *, contrat: Contrat) -> str:
    """Titre du document exporté (métadonnées Word, OpenDocument, PDF) : celui de la fiche
    quand il n'y en a qu'une, sinon celui du recueil des fiches du contrat."""
    if len(fiches) == 1:
        return f"Fiche action n°{fiches[0].numero} – {fiches[0].titre} – {contrat}"
    return f"Fiches actions – {contrat}"


@dataclass(frozen=True)
class Block:
    text: str
    bullet: bool = False


@dataclass
class Row:
    label: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class FicheContent:
    numero: int
    entete: str
    titre: str
    rows: list[Row]
    objectif_numero: int | None

    @property
    def fiche_line(self) -> str:
        return f"FICHE ACTION N°{self.numero}"


def _structured(text: str) -> list[Block]:
    blocks = []
    for kind, items in parse_structured_text(truncate_for_export(text)):
        blocks.extend(Block(item, bullet=kind == "ul") for item in items)
    return blocks


def objectifs_header(numeros: list[int]) -> str:
    """« OBJECTIF N°3 » ou « OBJECTIFS N°1 et 2 »."""
    if not numeros:
        return "OBJECTIF N° …"
    if len(numeros) == 1:
        return f"OBJECTIF N°{numeros[0]}"
    return "OBJECTIFS N°" + ", ".join(map(str, numeros[:-1])) + f" et {numeros[-1]}"


def _calendrier(fiche: FicheAction) -> list[Block]:
    jalons = list(fiche.jalons.all())
    if not jalons:
        return _structured(fiche.calendrier_texte)
    periodes = {j.periode for j in jalons}
    blocks = []
    if len(periodes) == 1 and (periode := periodes.pop()):
        blocks.append(Block(f"{periode} :"))
        blocks += [Block(j.libelle + mention(j.retire_le), bullet=True) for j in jalons]
    else:
        blocks += [
            Block(
                (f"{j.periode} : {j.libelle}" if j.periode else j.libelle) + mention(j.retire_le),
                bullet=True,
            )
            for j in jalons
        ]
    return blocks


def _indicateur_text(indicateur) -> str:
    text = indicateur.libelle
    if indicateur.valeur_texte:
        text = f"{text} : {indicateur.valeur_texte}"
    if indicateur.indicateur_national_id:
        text = f"Indicateur national : {text}"
    return text + mention(indicateur.retire_le)


def _acteurs(fiche: FicheAction) -> list[Block]:
    return [
        Block(
            (f"{a.nom} – {a.implication}" if a.implication else a.nom) + mention(a.retire_le),
            bullet=True,
        )
        for a in fiche.acteurs.all()
    ]


def _financements(fiche: FicheAction) -> list[Block]:
    return [
        Block(
            format_line(
                financeur=f.financeur,
                montant=f.montant,
                valorisation=f.valorisation,
                note=f.note,
                libelle=f.libelle,
                annee=f.annee,
            )
        )
        for f in fiche.financements.all()
    ]


def _indicateurs(indicateurs: list, nature: str) -> list[Block]:
    return [Block(_indicateur_text(i), bullet=True) for i in indicateurs if i.nature == nature]


def _rows(fiche: FicheAction, indicateurs: list) -> list[Row]:
    """Les rangées de la fiche, dans l'ordre du modèle officiel."""
    return [
        # Tel que dans la fiche signée (vide s'il l'était) : l'export se relit à l'identique.
        Row(
            "Département concerné",
            [Block(fiche.departement_libelle)] if fiche.departement_libelle else [],
        ),
        Row(
            "Référent (personne ou institution)", [Block(fiche.referent)] if fiche.referent else []
        ),
        Row("Constat du diagnostic", _structured(fiche.constat)),
        Row("Objectif opérationnel", _structured(fiche.objectif_operationnel)),
        Row("Description de l'action", _structured(fiche.description)),
        Row("Identification des acteurs à mobiliser", _acteurs(fiche)),
        Row("Moyens financiers prévisionnels", _financements(fiche)),
        Row("Calendrier prévisionnel", _calendrier(fiche)),
        Row(
            "Indicateurs quantitatifs de mise en œuvre de l'action",
            _indicateurs(indicateurs, "quantitatif"),
        ),
        Row(
            "Indicateurs qualitatifs de mise en œuvre de l'action",
            _indicateurs(indicateurs, "qualitatif"),
        ),
        Row(
            "Points de vigilance",
            [Block(p.libelle, bullet=True) for p in fiche.points_vigilance.all()],
        ),
    ]


def fiche_content(fiche: FicheAction, *, contrat: Contrat) -> FicheContent:
    """Le contenu d'une fiche (relations préchargées par `load_fiches`)."""
    numeros = sorted(o.numero for o in fiche.objectifs.all() if o.numero is not None)
    indicateurs = list(fiche.indicateurs.all())
    return FicheContent(
        numero=fiche.numero,
        entete=fiche.entete_objectifs or objectifs_header(numeros),
        titre=fiche.titre,
        rows=_rows(fiche, indicateurs),
        objectif_numero=numeros[0] if numeros else None,
    )
