"""HTML to PDF with WeasyPrint, for every document Samverk prints.

WeasyPrint is imported only when a PDF is made (it is heavy), and it may open
files inside the project only: a document never fetches anything from the network.
Every PDF is rendered without personnummer (common.personnummer.redact over the whole
HTML, so no free-text value of any template is missed): kallelser, letters and plans
travel by e-mail and post.
"""

from pathlib import Path

from django.conf import settings

from .personnummer import redact


def _url_fetcher():
    from urllib.request import url2pathname

    from weasyprint.urls import URLFetcher

    base_dir = Path(settings.BASE_DIR).resolve()

    class LocalFileFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            response_path = None
            if url.lower().startswith("file:"):
                response_path = Path(url2pathname(url.split("?")[0][5:])).resolve()
            if response_path is None or not response_path.is_relative_to(base_dir):
                raise ValueError(f"PDF:en hämtar inget utifrån: {url}")
            return super().fetch(url, headers)

    return LocalFileFetcher(allowed_protocols={"file"})


def html_to_pdf(html: str, *, keep_personnummer: bool = False) -> bytes:
    """The PDF of ``html``, every personnummer and samordningsnummer in it removed.
    ``keep_personnummer`` is for a document that must show the number itself (and
    never leaves by e-mail)."""
    import weasyprint

    if not keep_personnummer:
        html = redact(html)
    return weasyprint.HTML(
        string=html, base_url=str(settings.BASE_DIR), url_fetcher=_url_fetcher()
    ).write_pdf()
