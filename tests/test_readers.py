"""The readers, one format at a time: what each gives, and how each refuses a bad file.

Bad files get an error naming them while the other files still go in. URLs are fetched
from a real HTTP server on this machine.
"""

from __future__ import annotations

import io
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from ingest.document import BadDocument
from ingest.pipeline import collect_files, ingest_files
from ingest.readers import limits, read_document
from tests import formats
from tests.cli_process import lienket
from tests.test_format_parity import tesseract_ready

NEWS_TEXT = formats.NEWS.read_text(encoding="utf-8")
PLAN_TEXT = formats.PLAN.read_text(encoding="utf-8")


# --- what the readers give -----------------------------------------------------------------


def test_docx_merges_are_resolved_with_their_anchor_and_text_boxes_are_read() -> None:
    document = read_document("plan.docx", formats.to_docx(PLAN_TEXT))
    assert "Số: 215 /KH-UBND" in document.lines()  # from the text box
    assert any(b.kind == "heading" and b.text == "KẾ HOẠCH" for b in document.blocks)
    bilateral = next(t for t in document.tables if any("VietGAP" in c.text for row in t.rows for c in row))
    first, second = bilateral.rows[1], bilateral.rows[2]
    assert second[7].text == first[7].text and "Đặng Văn Mẫu" in second[7].text  # vMerge: the text in both
    assert second[7].merged and second[7].anchor == (1, 7) and first[7].anchor == (1, 7)
    assert not second[1].merged
    group = next(t for t in document.tables if any(r[0].text == "II" for r in t.rows))
    spread = next(r for r in group.rows if r[0].text == "II")
    assert [c.anchor for c in spread[1:]] == [(spread_row(group, "II"), 1)] * 7  # gridSpan over the row
    assert group.row_texts(group.rows.index(spread))[2:] == [""] * 6  # counted once, in its first column
    signature = next(t for t in document.tables if len(t.rows[0]) == 2)
    assert "TM. ỦY BAN NHÂN DÂN" in signature.rows[0][1].text


def spread_row(table, number: str) -> int:  # type: ignore[no-untyped-def]
    return next(i for i, r in enumerate(table.rows) if r[0].text == number)


def test_html_reads_the_article_with_rowspan_colspan_and_entities_and_never_hidden_text() -> None:
    document = read_document("plan.html", formats.to_html(PLAN_TEXT))
    text = document.text()
    assert formats.HIDDEN_NAME not in text and "tracking" not in text
    assert "Trang chủ" not in text and "Đọc nhiều" not in text  # menu and sidebar are not the article
    assert "Sở NN&PTNT" in text and "Tiến" not in text.replace("tiến", "")  # entities decoded once
    assert "&#" not in text and "&amp;" not in text
    bilateral = next(t for t in document.tables if any("VietGAP" in c.text for row in t.rows for c in row))
    assert bilateral.rows[2][7].merged and bilateral.rows[2][7].text == bilateral.rows[1][7].text  # rowspan
    assert bilateral.rows[2][7].anchor == (1, 7)


def test_a_news_page_title_is_its_headline() -> None:
    document = read_document("news.html", formats.to_html(NEWS_TEXT))
    assert document.title == "Quận 5 và huyện Đắk Hà ký kết biên bản ghi nhớ hợp tác giai đoạn 2024 \u2013 2026"


def test_html_without_any_article_falls_back_to_every_block() -> None:
    page = b"<html><body><div>Ng\xc3\xa0y 3/4, hai b\xc3\xaan k\xc3\xbd k\xe1\xba\xbft.</div></body></html>"
    assert "Ngày 3/4, hai bên ký kết." in read_document("short.html", page).lines()


def test_pdf_joins_a_table_across_pages_drops_running_lines_and_reads_two_columns() -> None:
    document = read_document("plan.pdf", formats.to_pdf(PLAN_TEXT))
    lines = document.lines()
    assert not any(formats.RUNNING_HEADER in l or l.startswith("Trang ") for l in lines)
    bilateral = next(t for t in document.tables if any("VietGAP" in c.text for row in t.rows for c in row))
    headers = [r for r in bilateral.rows if r[0].text == "STT"]
    assert len(headers) == 1  # the header repeated on the next page is kept once
    assert len(set(bilateral.row_pages)) == 2  # one table over two pages
    # the signature block's two columns, left then right: recipients before the signer
    assert lines.index("- Lưu: VT, KT.") < lines.index("TM. ỦY BAN NHÂN DÂN") < lines.index("Nguyễn Văn Mẫu")
    wrapped = next(l for l in lines if l.startswith("Căn cứ"))
    assert wrapped.endswith("các nội dung sau:")  # the paragraph wrapped over two lines is one again


def test_legacy_encodings_are_detected_and_vni_is_refused_by_name() -> None:
    for encoding, name in (("TCVN5712-1", "TCVN3"), ("CP1258", "Windows-1258")):
        document = read_document("plan.txt", formats.iconv(PLAN_TEXT, encoding))
        assert any(name in w for w in document.warnings)
        assert "Phó Trưởng phòng Quản lý Thương mại" in document.text()
    vni = "Vieät Nam. UÛy ban nhaân daân tænh. Hôïp taùc phaùt trieån. Ñoaøn coâng taùc. ".encode("latin-1") * 5
    with pytest.raises(BadDocument, match="VNI"):
        read_document("vni.txt", vni)


# --- bad files: a clear error naming each, the others still go in ----------------------------


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(formats.to_pdf(NEWS_TEXT))))
    writer.encrypt(user_password="mat-khau", owner_password="chu-so-huu")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_bomb_docx(expanded: int) -> bytes:
    """A DOCX whose parts expand to ``expanded`` bytes of zeros (a few kB on disk)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(formats.to_docx(NEWS_TEXT))) as good, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in good.infolist():
            bomb.writestr(item, good.read(item))
        with bomb.open("word/media/padding.bin", "w") as padding:
            for _ in range(expanded // (1 << 20)):
                padding.write(bytes(1 << 20))
    return out.getvalue()


def pdf_bomb(expanded: int) -> bytes:
    """A PDF carrying a Flate stream that expands to ``expanded`` bytes."""
    good = formats.to_pdf(NEWS_TEXT)
    packed = zlib.compress(bytes(expanded), 9)
    stream = (b"99 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)) + packed + b"\nendstream\nendobj\n"
    return good.replace(b"%%EOF", stream + b"%%EOF")


def many_pages_pdf(pages: int) -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    drawing = canvas.Canvas(out)
    for number in range(pages):
        drawing.drawString(72, 720, f"Trang {number + 1}")
        drawing.showPage()
    drawing.save()
    return out.getvalue()


def blank_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (1200, 800), 255).save(out, format="PNG")
    return out.getvalue()


def test_bad_files_are_named_and_the_others_still_go_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_EXPANDED_BYTES", 20 * 1024 * 1024)
    folder = tmp_path / "in"
    folder.mkdir()
    bad = {
        "protected.pdf": (encrypted_pdf(), "password-protected"),
        "corrupt.docx": (formats.to_docx(NEWS_TEXT)[:3000], "damaged"),
        "bomb.docx": (zip_bomb_docx(40 * 1024 * 1024), "zip bomb"),
        "bomb.pdf": (pdf_bomb(40 * 1024 * 1024), "zip bomb"),
        "huge.pdf": (many_pages_pdf(2000), "2000 pages"),
    }
    for name, (data, _) in bad.items():
        (folder / name).write_bytes(data)
    (folder / "news.docx").write_bytes(formats.to_docx(NEWS_TEXT))
    (folder / "plan.txt").write_bytes(formats.PLAN.read_bytes())
    store = EmbeddedStore(tmp_path / "db")
    results = {r.document: r for r in ingest_files(store, collect_files([folder]))}
    for name, (_, reason) in bad.items():
        assert reason in (results[name].error or ""), (name, results[name].error)
    assert results["news.docx"].status == "added" and results["plan.txt"].status == "added"
    assert sorted(d.document for d in store.documents()) == ["news.docx", "plan.txt"]


def test_an_image_without_text_is_refused() -> None:
    tesseract_ready()
    with pytest.raises(BadDocument, match="no text found"):
        read_document("blank.png", blank_png())


def test_a_page_image_is_read_by_ocr_with_its_tones() -> None:
    tesseract_ready()
    document = read_document("page.png", formats.to_png(formats.to_pdf(NEWS_TEXT), dpi=300))
    text = document.text()
    assert "Biên bản ghi nhớ" in text and "huyện Đắk Hà" in text


def test_without_tesseract_a_scan_is_refused_with_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import pytesseract

    from ingest.readers import ocr

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    ocr._languages.cache_clear()
    try:
        with pytest.raises(BadDocument, match="tesseract-ocr-vie"):
            read_document("scan.png", blank_png())
    finally:
        ocr._languages.cache_clear()


# --- URLs --------------------------------------------------------------------------------------


class Pages(BaseHTTPRequestHandler):
    """A small web server: a news page, a missing page, a slow one, huge ones. The documents are
    made before the server starts, so only the slow page is slow, however busy the machine."""

    bodies: dict[str, bytes] = {}

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        if self.path == "/tin-tuc":
            self._send(200, self.bodies["news"], "text/html; charset=utf-8")
        elif self.path == "/ke-hoach":  # a PDF served without a telling name
            self._send(200, self.bodies["plan"], "application/octet-stream")
        elif self.path == "/slow":
            time.sleep(6)
            self._send(200, b"late", "text/plain")
        elif self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Length", str(5 * 1024 ** 3))
            self.end_headers()
            self.wfile.write(b"x" * 1024)
        elif self.path == "/endless":
            self.send_response(200)
            self.end_headers()  # no length: the body just keeps coming
            try:
                for _ in range(64):
                    self.wfile.write(bytes(64 * 1024))
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._send(404, b"not here", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the slow page): that is the point

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    Pages.bodies = {"news": formats.to_html(NEWS_TEXT), "plan": formats.to_pdf(PLAN_TEXT)}
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_urls_are_fetched_kept_as_the_source_and_bad_ones_named(site: str, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "DOWNLOAD_TIMEOUT_SECONDS", 3.0)
    monkeypatch.setattr(limits, "MAX_DOWNLOAD_BYTES", 2 * 1024 * 1024)
    store = EmbeddedStore(tmp_path / "db")
    urls = [f"{site}/tin-tuc", f"{site}/ke-hoach", f"{site}/missing", f"{site}/slow", f"{site}/huge",
            f"{site}/endless"]
    results = {r.document: r for r in ingest_files(store, urls)}
    assert results[f"{site}/tin-tuc"].status == "added"
    assert results[f"{site}/ke-hoach"].status == "added"  # sniffed as a PDF from its bytes
    assert "HTTP 404" in (results[f"{site}/missing"].error or "")
    assert "within 3 s" in (results[f"{site}/slow"].error or "")
    assert "5,368,709,120 bytes announced" in (results[f"{site}/huge"].error or "")
    assert "download limit" in (results[f"{site}/endless"].error or "")
    partners = store.partners("Quận 5")
    assert partners and f"{site}/tin-tuc" in {s.document for s in partners[0].sources}
    contact = store.contacts("Hội thảo giới thiệu sản phẩm du lịch Kon Tum")[0]
    assert contact.sources[0].document == f"{site}/ke-hoach" and contact.sources[0].page is not None


def test_lienket_ingest_takes_urls_and_files_together(site: str, tmp_path: Path) -> None:
    good = tmp_path / "plan.txt"
    good.write_bytes(formats.PLAN.read_bytes())
    result = lienket(tmp_path / "db", "ingest", f"{site}/tin-tuc", f"{site}/missing", str(good))
    assert result.returncode == 1, result.stderr
    assert f"{site}/missing: the server answered HTTP 404" in " ".join(result.stderr.split())
    names = sorted(d.document for d in EmbeddedStore(tmp_path / "db").documents())
    assert names == [f"{site}/tin-tuc", "plan.txt"]


def test_the_api_fetches_by_url_but_not_from_its_own_network_unless_allowed(site: str, tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_api import API_KEY, make_client

    store = EmbeddedStore(tmp_path / "db")
    client = make_client(store)
    refused = client.post("/documents/url", headers={"X-API-Key": API_KEY}, json={"urls": [f"{site}/tin-tuc"]})
    assert refused.status_code == 200
    assert "private or local network" in refused.json()["results"][0]["error"]
    monkeypatch.setenv("LIENKET_FETCH_PRIVATE", "1")
    report = client.post("/documents/url", headers={"X-API-Key": API_KEY},
                         json={"urls": [f"{site}/tin-tuc", f"{site}/missing"]}).json()
    assert [r["status"] for r in report["results"]] == ["added", "error"] and report["errors"] == 1
    assert [d.document for d in store.documents()] == [f"{site}/tin-tuc"]
    assert client.post("/documents/url", json={"urls": [f"{site}/tin-tuc"]}).status_code == 401
    removed = client.delete(f"/documents/{site}/tin-tuc", headers={"X-API-Key": API_KEY})
    assert removed.status_code == 200, removed.text
    assert store.documents() == [] and store.partners("Quận 5") == []


def test_the_api_upload_reads_every_format(tmp_path: Path) -> None:
    from tests.test_api import API_KEY, make_client

    store = EmbeddedStore(tmp_path / "db")
    files = [("files", ("plan.pdf", formats.to_pdf(PLAN_TEXT), "application/pdf")),
             ("files", ("news.docx", formats.to_docx(NEWS_TEXT), "application/octet-stream")),
             ("files", ("news.html", formats.to_html(NEWS_TEXT), "text/html")),
             ("files", ("broken.docx", b"PK\x03\x04 not really", "application/octet-stream"))]
    report = make_client(store).post("/documents", headers={"X-API-Key": API_KEY}, files=files).json()
    assert [r["status"] for r in report["results"]] == ["added", "added", "added", "error"]
    assert "broken.docx" not in {d.document for d in store.documents()}
    contact = store.contacts("Hội thảo giới thiệu sản phẩm du lịch Kon Tum")[0]
    assert contact.phone == "0918.333.444" and contact.sources[0].page is not None


def test_html_dates_a_yearless_lead_from_the_element_the_page_marks_as_its_date() -> None:
    page = ("<html><head><title>Hai sở ký kết</title></head><body><div class='article'>"
            "<h1>Sở Tư pháp hai tỉnh ký kết hợp tác giai đoạn 2026 - 2030</h1>"
            "<div class='date'>Thứ Hai, 09/02/2026, 10:15 (GMT+7)</div>"
            "<div class='content'><p>Ngày 6-2, Sở Tư pháp tỉnh Cao Bằng và Sở Tư pháp tỉnh Cà Mau ký kết Thỏa thuận "
            "hợp tác về phổ biến, giáo dục pháp luật giai đoạn 2026 - 2030, với nhiều nội dung cụ thể.</p>"
            "<p>Hai bên thống nhất trao đổi tài liệu, kinh nghiệm và tổ chức đoàn công tác hằng năm.</p></div>"
            "</div></body></html>").encode()
    lines = read_document("dated.html", page).lines()
    assert "09/02/2026" in lines  # written before the lead, so 'Ngày 6-2' is read as 6/2/2026
