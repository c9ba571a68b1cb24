"""Caps that keep one hostile or huge file from taking the machine: pages, expanded size, download size.

Each can be raised through the environment for a batch of known, large documents."""

from __future__ import annotations

import io
import os
import zipfile

from ingest.document import BadDocument

MAX_PAGES = int(os.environ.get("LIENKET_MAX_PAGES", "500"))
MAX_EXPANDED_BYTES = int(os.environ.get("LIENKET_MAX_EXPANDED_BYTES", str(200 * 1024 * 1024)))
MAX_DOWNLOAD_BYTES = int(os.environ.get("LIENKET_MAX_DOWNLOAD_BYTES", str(50 * 1024 * 1024)))
DOWNLOAD_TIMEOUT_SECONDS = float(os.environ.get("LIENKET_DOWNLOAD_TIMEOUT", "30"))


def check_pages(pages: int) -> None:
    if pages > MAX_PAGES:
        raise BadDocument(f"{pages} pages: more than the {MAX_PAGES}-page limit (LIENKET_MAX_PAGES)")


def check_zip(data: bytes, required: str, what: str) -> None:
    """A ZIP-based file (DOCX) whose parts are all there and whose expanded size stays under the cap,
    checked from the archive's directory before anything is expanded (a zip bomb never is).
    The declared sizes bound what is read: Python's zipfile stops each member at its declared
    size, so a member that lies about its size only fails its checksum."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise BadDocument(f"damaged file: not a readable ZIP archive, so not {what}") from None
    with archive:
        names = archive.namelist()
        expanded = sum(info.file_size for info in archive.infolist())
    if required not in names:
        raise BadDocument(f"a ZIP archive without {required}: not {what}")
    if expanded > MAX_EXPANDED_BYTES:
        raise BadDocument(f"expands to {expanded:,} bytes, past the {MAX_EXPANDED_BYTES:,}-byte limit "
                          "(LIENKET_MAX_EXPANDED_BYTES): refused as a possible zip bomb")
