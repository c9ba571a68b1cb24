"""Pages per second of the document readers on this machine: text PDF, DOCX, scans.

The sample plan is written as a PDF with a text layer and as a DOCX (tests/formats.py),
repeated to make a long document; the scan is the PDF's pages rendered at 300 dpi and
read back by Tesseract (slow: a progress line shows the pages). Each is read by the same
reader ``lienket ingest`` uses; reading only, without extraction or the store.

Run: .venv/bin/python benchmarks/reader_bench.py [--copies N] [--scan-pages N]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.readers import read_document  # noqa: E402
from tests import formats  # noqa: E402


def timed(name: str, data: bytes, pages: int, progress: bool = False) -> tuple[float, float]:
    """Seconds to read the document and the pages per second."""
    def show(done: int, total: int) -> None:
        print(f"\r  {name}: page {done}/{total}", end="", file=sys.stderr, flush=True)

    start = time.perf_counter()
    read_document(name, data, on_page=show if progress else None)
    seconds = time.perf_counter() - start
    if progress:
        print(file=sys.stderr)
    return seconds, pages / seconds


def page_count(pdf: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=10, help="times the sample plan is repeated (text PDF, DOCX)")
    parser.add_argument("--scan-pages", type=int, default=4, help="pages of the scan to OCR")
    args = parser.parse_args()
    text = formats.PLAN.read_text(encoding="utf-8")
    long_text = "\n\n".join([text] * args.copies)

    pdf = formats.to_pdf(long_text, split_merged_rows=False)
    pdf_pages = page_count(pdf)
    docx = formats.to_docx(long_text)
    # A DOCX has no pages of its own: count it as the pages the same text makes as a PDF.
    scan_source = formats.to_pdf(text, split_merged_rows=False)
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(formats.to_scanned_pdf(scan_source, dpi=300)))
    writer = PdfWriter()
    for page in reader.pages[:args.scan_pages]:
        writer.add_page(page)
    scan = io.BytesIO()
    writer.write(scan)
    scan_pages = min(args.scan_pages, len(reader.pages))

    print(f"{'reader':<10} {'pages':>6} {'seconds':>8} {'pages/s':>8}")
    for name, data, pages, progress in (("text PDF", pdf, pdf_pages, False), ("DOCX", docx, pdf_pages, False),
                                        ("scan PDF", scan.getvalue(), scan_pages, True)):
        seconds, rate = timed(name, data, pages, progress)
        print(f"{name:<10} {pages:>6} {seconds:>8.2f} {rate:>8.2f}")


if __name__ == "__main__":
    main()
