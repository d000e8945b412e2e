"""Exports du rapport d'exécution (Word, tableur) : chacun s'inscrit dans
`rapports.formats.EXPORTERS` à l'import (fait par `RapportsConfig.ready`)."""

from . import docx, tableur  # noqa: F401 - inscrivent « docx », « xlsx »
