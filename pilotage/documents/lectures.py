"""Lecture d'un document déposé pour l'import, gardée jusqu'à la confirmation (le dépôt
et ses services : `depots`).

Un petit document Word, OpenDocument ou tableur se lit pendant le dépôt (un quart de
seconde pour 40 fiches) : refusé, il n'est pas conservé et le formulaire dit pourquoi.
Un PDF (une vingtaine de secondes pour 40 fiches) ou un document de plus de
`SEUIL_FOND` octets est conservé « à lire » et lu en tâche de fond (`tasks.document_lire`,
avec une durée permise plus longue qu'une requête) ; la page d'attente suit la lecture
et devient l'aperçu quand elle est finie. Dans les deux cas, la lecture est gardée sur le
document (`DocumentImporte.lecture`) : l'aperçu et la confirmation ne relisent rien.

La lecture gardée est sérialisée par pickle (le résultat de l'analyse, des classes de
données), et signée par un HMAC de la SECRET_KEY vérifié avant d'être désérialisée :
seule l'application écrit une lecture qu'elle accepte de relire.
"""

import pickle

from django.utils.crypto import constant_time_compare, salted_hmac

from pilotage.referentiel.models import Objectif

from .models import DocumentImporte

#: Au-delà de cette taille, un document Word, OpenDocument ou tableur est lu en tâche
#: de fond comme un PDF.
SEUIL_FOND = 2 * 1024 * 1024
#: Durée permise à la lecture d'un PDF en tâche de fond (une requête en permet 45 s,
#: `reader_pdf.MAX_SECONDS`).
MAX_SECONDS_FOND = 180
_SEL = "pilotage.documents.lectures"
_SIGNATURE = 64  # un HMAC SHA-256 en hexadécimal


def en_fond(filename: str, taille: int) -> bool:
    """Le document se lit-il en tâche de fond (PDF, ou gros document) ?"""
    return filename.lower().endswith(".pdf") or taille > SEUIL_FOND


def controler(data: bytes, filename: str) -> None:
    """Les contrôles d'avant lecture (type lu dans les octets, taille, archive, flux d'un
    PDF décompressés bornés), faits au dépôt même d'un document lu en tâche de fond : un
    fichier qui n'est pas ce que dit son nom est refusé dans le formulaire ; lève
    `ImportErreur`. Un tableur est contrôlé par sa lecture."""
    from .importer.reader_tableur import is_tableur
    from .importer.safety import check

    if not is_tableur(filename):
        check(data, filename=filename)


def lire(contrat, data: bytes, filename: str, *, max_seconds: int | None = None):
    """Le document lu (`importer.parse_document`) avec les objectifs du référentiel du
    contrat ; lève `ImportErreur`."""
    from .importer import parse_document  # l'analyseur n'est chargé qu'à la lecture

    known = set(
        Objectif.objects.filter(generation_id=contrat.generation_id).values_list(
            "numero", flat=True
        )
    )
    return parse_document(data, filename=filename, known_objectifs=known, max_seconds=max_seconds)


def _signature(octets: bytes) -> bytes:
    return salted_hmac(_SEL, octets, algorithm="sha256").hexdigest().encode()


def empaqueter(result) -> bytes:
    """La lecture à garder sur le document : signature, puis la lecture sérialisée."""
    octets = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    return _signature(octets) + octets


def depaqueter(paquet) -> object | None:
    """La lecture gardée, ou None si elle manque ou si sa signature ne correspond pas."""
    if not paquet:
        return None
    paquet = bytes(paquet)
    signature, octets = paquet[:_SIGNATURE], paquet[_SIGNATURE:]
    if not constant_time_compare(signature, _signature(octets)):
        return None
    return pickle.loads(octets)  # noqa: S301 — signé par l'application (voir le module)


def lecture_du_document(document: DocumentImporte):
    """La lecture d'un document analysé ; un document déposé avant que la lecture soit
    gardée est relu (lève `ImportErreur`)."""
    result = depaqueter(document.lecture)
    if result is None:
        with document.fichier.open("rb") as handle:
            result = lire(document.contrat, handle.read(), document.nom_original)
    return result
