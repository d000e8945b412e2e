"""Rendu HTML → PDF balisé (PDF/UA-1 : structure, langue, titre) par WeasyPrint, pour
tous les documents PDF du site (fiches, dossier et compte rendu de réunion, calendrier,
rapport d'exécution). Aucune ressource extérieure n'est chargée : styles en ligne,
images éventuelles en « data: »."""

from weasyprint import HTML, URLFetcher

_FETCHER = URLFetcher(allowed_protocols={"data"})


def html_to_pdf(html: str) -> bytes:
    """Le PDF balisé d'une page HTML complète."""
    return _write_pdf(html)


def _write_pdf(html: str) -> bytes:
    # Point unique d'appel à WeasyPrint (les tests le mémorisent : même HTML, même PDF).
    return HTML(string=html, url_fetcher=_FETCHER).write_pdf(pdf_variant="pdf/ua-1")
