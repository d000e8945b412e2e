"""Tenue de l'index : appelée par les services d'écriture à la fin de leur transaction.

Un chargement en masse (la démonstration) enchaîne des centaines d'écritures qui
réindexent chacune les mêmes objets et leurs liés : dans `index_differe()`, les objets
touchés sont seulement notés, puis indexés une fois chacun, dans leur dernier état, à la
sortie du bloc."""

import contextlib
import contextvars
import re

from django.db import connection

from .models import EntreeRecherche
from .racines import racines
from .registre import LIES, SORTES, Document, sorte_de

# Caractères de contrôle : ni indexés ni affichés (ils servent de marques au surlignage).
CONTROLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TEXTE_MAX = 200_000


def _propre(texte: str, limite: int) -> str:
    return CONTROLE.sub(" ", texte or "")[:limite]


def _valeurs(sorte_nom: str, doc: Document) -> dict:
    titre = _propre(doc.titre, 500)
    texte = _propre(doc.texte, TEXTE_MAX)
    objectifs = sorted(set(doc.objectifs))
    return {
        "sorte": sorte_nom,
        "titre": titre,
        "texte": texte,
        # PostgreSQL calcule son vecteur depuis titre et texte : les racines ne servent
        # qu'à FTS5.
        "racines": racines(f"{titre} {texte}") if connection.vendor == "sqlite" else "",
        "url": doc.url[:500],
        "contrat_id": doc.contrat_id,
        "departement_id": doc.departement_id,
        "region_id": doc.region_id,
        "institution_id": doc.institution_id,
        "espace_id": doc.espace_id,
        "rubrique_id": doc.rubrique_id,
        "objectifs": f"|{'|'.join(map(str, objectifs))}|" if objectifs else "",
        "date": doc.date,
    }


# Pendant `index_differe()` : (libellé du modèle, clé) → modèle des objets à indexer.
_DIFFERES: contextvars.ContextVar[dict | None] = contextvars.ContextVar("differes", default=None)


@contextlib.contextmanager
def index_differe():
    """Indexe à la sortie du bloc, une fois chacun, les objets que les écritures du bloc
    ont indexés ou retirés (et leurs liés) ; rien si le bloc échoue."""
    if _DIFFERES.get() is not None:  # déjà dans un bloc : c'est lui qui indexera
        yield
        return
    jeton = _DIFFERES.set({})
    try:
        yield
        differes = _DIFFERES.get()
    finally:
        _DIFFERES.reset(jeton)
    faits: set = set()
    for (label, pk), model in differes.items():
        obj = model._base_manager.filter(pk=pk).first()
        if obj is None:
            EntreeRecherche.objects.filter(modele=label, objet_id=pk).delete()
        else:
            _index(obj, faits)


def _differe(obj) -> bool:
    differes = _DIFFERES.get()
    if differes is None:
        return False
    differes[(obj._meta.label, obj.pk)] = type(obj)
    return True


def index_object(obj) -> None:
    """Indexe (ou retire de l'index) un objet d'une sorte inscrite, puis les objets liés
    que les applications ont inscrits pour son modèle (`register_lies`), même s'il n'est
    pas cherchable lui-même."""
    if not _differe(obj):
        _index(obj, set())


def _index(obj, faits: set) -> None:
    cle = (obj._meta.label, obj.pk)
    if cle in faits:
        return
    faits.add(cle)
    sorte = sorte_de(obj)
    if sorte is not None:
        doc = sorte.document(obj)
        if doc is None:
            unindex_object(obj)
        else:
            EntreeRecherche.objects.update_or_create(
                modele=obj._meta.label, objet_id=obj.pk, defaults=_valeurs(sorte.nom, doc)
            )
    for fonction in LIES.get(obj._meta.label, ()):
        for lie in fonction(obj):
            _index(lie, faits)


def unindex_object(obj) -> None:
    if not _differe(obj):
        EntreeRecherche.objects.filter(modele=obj._meta.label, objet_id=obj.pk).delete()


def unindex_many(model, pks) -> None:
    """Retire de l'index des objets d'un modèle, avant leur suppression en lot."""
    EntreeRecherche.objects.filter(modele=model._meta.label, objet_id__in=list(pks)).delete()


def reindex_all() -> int:
    """Reconstruit tout l'index ; rend le nombre de lignes indexées."""
    EntreeRecherche.objects.all().delete()
    lignes = []
    for sorte in SORTES.values():
        for obj in sorte.tous():
            doc = sorte.document(obj)
            if doc is not None:
                lignes.append(
                    EntreeRecherche(
                        modele=obj._meta.label, objet_id=obj.pk, **_valeurs(sorte.nom, doc)
                    )
                )
    EntreeRecherche.objects.bulk_create(lignes, batch_size=500)
    return len(lignes)
