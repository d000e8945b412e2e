"""Erreur d'import : un document illisible ou refusé, avec un message d'une ligne en français."""

EMPTY = "Le fichier est vide."
TOO_LARGE = "Le fichier dépasse la taille maximale de 10 Mo."
NOT_WORD = "Ce fichier n'est pas un document Word (.docx) ou OpenDocument (.odt) lisible."
OLE_PROTECTED = (
    "Ce document est protégé par un mot de passe ou enregistré dans l'ancien format Word "
    "(.doc) : enregistrez-le au format .docx sans mot de passe."
)
ODT_PROTECTED = (
    "Ce document est protégé par un mot de passe : enregistrez-le sans mot de passe "
    "avant de l'importer."
)
MACROS = (
    "Ce document contient des macros : enregistrez-le au format .docx (sans macros) "
    "avant de l'importer."
)
ODT_MACROS = (
    "Ce document contient des macros : enregistrez-le au format .odt (sans macros) "
    "avant de l'importer."
)
CORRUPT = (
    "Ce document est endommagé (archive illisible) : ouvrez-le dans votre traitement de "
    "texte et enregistrez-le de nouveau au format .docx ou .odt."
)
TOO_BIG_CONTENT = (
    "Ce document est refusé : son contenu décompressé est anormalement volumineux "
    "(plus de 100 Mo ou compression suspecte)."
)
XML_FORBIDDEN = (
    "Ce document est refusé : il contient des déclarations XML non autorisées (DOCTYPE ou "
    "entités) ; enregistrez-le de nouveau depuis votre traitement de texte."
)
XML_ENCODING = (
    "Ce document est refusé : une de ses parties XML n'est pas encodée en UTF-8 ; "
    "enregistrez-le de nouveau depuis votre traitement de texte."
)
UNREADABLE = (
    "Ce document n'a pas pu être lu : enregistrez-le de nouveau au format .docx ou .odt "
    "puis réessayez."
)
NO_FICHE = (
    "Aucune fiche action reconnue dans ce document : vérifiez qu'il suit le modèle "
    "officiel (« FICHE ACTION N° … »)."
)


class ImportErreur(Exception):
    """Document refusé ou illisible ; `str(e)` est un message d'une ligne pour l'utilisateur."""

    def __init__(self, message: str):
        super().__init__(" ".join(message.split()))
        self.message = str(self)


def too_long(where: str, label: str, *, limit: str, length: str) -> str:
    """Message d'une rubrique trop longue : la fiche, la rubrique, le plafond."""
    return (
        f"{where} : la rubrique « {label} » dépasse {limit} caractères (elle en compte "
        f"{length}) : raccourcissez-la dans le document avant de l'importer."
    )


# -- PDF publiés (`reader_pdf`) ------------------------------------------------------------

NOT_PDF = "Ce fichier n'est pas un PDF lisible : vérifiez qu'il s'agit bien du document publié."
PDF_PROTECTED = (
    "Ce PDF est protégé par un mot de passe : importez le document Word d'origine, ou "
    "enregistrez le PDF sans mot de passe avant de l'importer."
)
PDF_CORRUPT = (
    "Ce PDF est endommagé ou illisible : importez le document Word d'origine, ou un PDF "
    "produit de nouveau par un traitement de texte."
)
PDF_SCANNED = (
    "Ce PDF ne contient pas de texte lisible (document numérisé) : importez le document "
    "Word d'origine, ou un PDF produit par un traitement de texte."
)
PDF_TOO_SLOW = (
    "La lecture de ce PDF dépasse {secondes} secondes : importez le document Word "
    "d'origine, ou un PDF limité aux fiches actions."
)
PDF_TOO_MANY_PAGES = (
    "Ce PDF compte plus de {pages} pages : importez le document Word d'origine, ou un PDF "
    "limité aux fiches actions."
)
PDF_PAGE_TOO_DENSE = (
    "La page {page} de ce PDF contient anormalement beaucoup de caractères : importez le "
    "document Word d'origine."
)
PDF_APPROXIMATE = (
    "Document PDF : la lecture d'un PDF est approximative (lignes recousues, tableaux "
    "reconstitués d'après leurs traits). Vérifiez chaque rubrique de chaque fiche avant "
    "d'importer ; le document Word d'origine, s'il existe, se lit sans approximation."
)
PDF_IMAGE_PAGE = (
    "Page {page} du PDF : aucun texte lisible (page numérisée ou image), son contenu "
    "n'a pas été lu."
)
