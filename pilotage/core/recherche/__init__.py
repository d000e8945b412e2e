"""Recherche plein texte sur tout le service (issue 16).

Les applications inscrivent leurs sortes (`register`, dans `AppConfig.ready`) ; leurs
services d'écriture appellent `index_object` / `unindex_object` à la fin de leur
transaction (aucun signal) ; `manage.py reindexer_recherche` reconstruit l'index.
SQLite : FTS5 sur les racines (`racines.py`) ; PostgreSQL : configuration `fr_unaccent`.
"""

from .index import index_differe, index_object, reindex_all, unindex_many, unindex_object
from .registre import CHOIX, SORTES, Document, Sorte, register, register_choix, register_lies
from .requete import Filtres, search

__all__ = [
    "CHOIX",
    "SORTES",
    "Document",
    "Filtres",
    "Sorte",
    "index_differe",
    "index_object",
    "register",
    "register_choix",
    "register_lies",
    "reindex_all",
    "search",
    "unindex_many",
    "unindex_object",
]
