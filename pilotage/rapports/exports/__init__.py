"""Exports du rapport d'exécution (Word, OpenDocument, PDF, tableurs) : chacun s'inscrit
dans `rapports.formats.EXPORTERS` à l'import (fait par `RapportsConfig.ready`)."""

from . import docx, odt, pdf, tableur  # noqa: F401 - inscrivent docx, odt, pdf, xlsx et ods
