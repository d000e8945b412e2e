"""La démonstration rechargée vite, module après module, dans un même processus de test.

La première charge d'un processus passe par `demo_load()` ; on relève alors les lignes des
tables qu'elle a changées. Les modules suivants recopient ces lignes telles quelles
(DELETE puis INSERT, dans la transaction du module, comme la charge réelle) : même base,
mêmes identifiants, mêmes fichiers, en quelques dizaines de millisecondes au lieu de
secondes. La copie n'est reprise que si la base de départ est exactement celle de la
première charge (un test transactionnel qui a vidé puis rechargé les tables du
référentiel change leurs identifiants) : sinon, charge réelle et nouveau relevé.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection


def _models() -> list:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]


def _read(model) -> tuple[list[str], list[tuple]]:
    qn = connection.ops.quote_name
    columns = [f.column for f in model._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(qn, columns))} FROM {qn(model._meta.db_table)} "
            f"ORDER BY {qn(model._meta.pk.column)}"
        )
        return columns, cursor.fetchall()


def _state() -> dict:
    return {m: _read(m) for m in _models()}


def _param(value):
    # psycopg ne sait pas envoyer un dict ou une liste lus d'une colonne jsonb.
    if connection.vendor == "postgresql" and isinstance(value, dict | list):
        from psycopg.types.json import Jsonb

        return Jsonb(value)
    return value


class DemoSnapshot:
    def __init__(self):
        self.baseline = None  # état de la base avant la première charge
        self.changed = {}  # modèle → (colonnes, lignes) après la charge
        self.media = None

    def load(self, demo_load, media) -> object:
        """Charge la démonstration (ou la recopie) ; rend le dossier de ses fichiers."""
        before = _state()
        if self.baseline is not None and before == self.baseline:
            self._restore()
            return self.media
        demo_load()
        after = _state()
        self.baseline, self.media = before, media
        self.changed = {m: rows for m, rows in after.items() if rows != before[m]}
        return media

    def _restore(self) -> None:
        qn = connection.ops.quote_name
        with connection.cursor() as cursor:
            for model, (columns, rows) in self.changed.items():
                table = qn(model._meta.db_table)
                cursor.execute(f"DELETE FROM {table}")
                if rows:
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f"INSERT INTO {table} ({', '.join(map(qn, columns))}) VALUES ({marks})",
                        [[_param(v) for v in row] for row in rows],
                    )
            for sql in connection.ops.sequence_reset_sql(no_style(), list(self.changed)):
                cursor.execute(sql)
