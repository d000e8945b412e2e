"""Fixtures des tests d'import : documents fabriqués une fois pour toute la session."""

import pytest

from .docx_builder import build_creuse_docx


@pytest.fixture(scope="session")
def creuse_docx() -> bytes:
    """Les 17 fiches publiées de la Creuse, reconstituées dans leur mise en page."""
    return build_creuse_docx()
