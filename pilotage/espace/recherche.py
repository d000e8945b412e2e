"""Ce que l'espace partagé rend cherchable : ressources, actualités et propositions,
visibles de qui lit leur espace (`Espace.objects.visibles_par`)."""

from django.db.models import Q
from django.urls import reverse

from pilotage.core import files, recherche
from pilotage.documents.importer.blocks import Table
from pilotage.documents.importer.reader_docx import read_docx
from pilotage.documents.importer.reader_odt import read_odt
from pilotage.documents.importer.reader_pdf import read_pdf

from .models import Actualite, Espace, FichierRessource, Proposition, Ressource, Rubrique

LECTEURS = {
    files.DOCX: read_docx,
    files.ODT: read_odt,
    files.PDF: lambda data: read_pdf(data)[0],
}


def _paragraphes(blocks):
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield from (p.text for p in cell)
        else:
            yield block.text


def fichier_texte(fichier: FichierRessource | None) -> str:
    """Le texte d'un fichier Word, OpenDocument ou PDF (lecteurs de l'import, déjà bornés
    en taille et en durée) ; vide pour un autre format ou un fichier illisible."""
    lecteur = LECTEURS.get(fichier.type_contenu) if fichier else None
    if lecteur is None:
        return ""
    try:
        with fichier.fichier.open("rb") as handle:
            return "\n".join(_paragraphes(lecteur(handle.read())))
    except Exception:  # noqa: BLE001 - un fichier illisible reste cherchable par son titre
        return ""


def visible_espace(user) -> Q:
    return Q(espace_id__in=Espace.objects.visibles_par(user).values("pk"))


def _portee(espace: Espace) -> dict:
    return {
        "espace_id": espace.pk,
        "departement_id": espace.departement_id,
        "region_id": espace.region_id,
    }


def ressource_document(ressource: Ressource) -> recherche.Document:
    espace = ressource.espace
    return recherche.Document(
        titre=f"{ressource.titre} – {espace.nom}",
        texte=f"{ressource.texte_recherche()}\n{fichier_texte(ressource.fichiers.order_by('-pk').first())}",
        url=reverse("espace:ressource", args=[espace.cle, ressource.pk]),
        objectifs=[o.pk for o in ressource.objectifs.all()],
        date=ressource.date,
        rubrique_id=ressource.rubrique_id,
        **_portee(espace),
    )


def actualite_document(actualite: Actualite) -> recherche.Document:
    espace = actualite.espace
    return recherche.Document(
        titre=f"{actualite.titre} – {espace.nom}",
        texte=actualite.texte_recherche(),
        url=reverse("espace:espace", args=[espace.cle]),
        date=actualite.date,
        **_portee(espace),
    )


def proposition_document(proposition: Proposition) -> recherche.Document:
    espace = proposition.espace
    return recherche.Document(
        titre=f"{proposition.titre} – {espace.nom}",
        texte=proposition.texte_recherche(),
        url=reverse("espace:proposition", args=[espace.cle, proposition.pk]),
        date=proposition.created_at.date(),
        **_portee(espace),
    )


def choix_espaces(user) -> list[tuple[int, str]]:
    espaces = Espace.objects.visibles_par(user).select_related("region", "departement")
    return [(e.pk, e.nom) for e in espaces]


def choix_rubriques(user) -> list[tuple[int, str]]:
    return list(Rubrique.objects.values_list("pk", "nom"))


def register() -> None:
    recherche.register_choix("espace", choix_espaces)
    recherche.register_choix("rubrique", choix_rubriques, sortes=("ressource",))
    for nom, libelle, modele, document, tous in (
        (
            "ressource",
            "Ressources",
            Ressource,
            ressource_document,
            lambda: Ressource.objects.select_related("espace").prefetch_related("objectifs"),
        ),
        (
            "actualite",
            "Actualités",
            Actualite,
            actualite_document,
            lambda: Actualite.objects.select_related("espace"),
        ),
        (
            "proposition",
            "Propositions",
            Proposition,
            proposition_document,
            lambda: Proposition.objects.select_related("espace"),
        ),
    ):
        recherche.register(
            recherche.Sorte(
                nom=nom,
                libelle=libelle,
                modeles=(modele._meta.label,),
                document=document,
                tous=tous,
                visible=visible_espace,
            )
        )
