"""L'aide de `manage.py import_fiches` dit tous les formats lus, PDF compris."""

from pilotage.documents.management.commands.import_fiches import Command


def test_the_help_of_the_import_command_mentions_every_format_read_pdf_included():
    aide = " ".join(Command().create_parser("manage.py", "import_fiches").format_help().split())
    for fmt in (".docx", ".odt", ".xlsx", ".ods", ".pdf"):
        assert fmt in aide
    assert "PDF publié" in aide
