"""The web page and the pictures in a real headless Chromium, with the network cut off.

The app is served by uvicorn on a free 127.0.0.1 port over an embedded store holding the
factory documents (and the hostile one). Every request to another host is aborted, so a
page that needed a CDN would fail here. Screenshots go to tests/artifacts/ (gitignored).

Needs the Debian package ``chromium`` (/usr/bin/chromium) and Playwright for Python;
no browser is downloaded. Without Chromium the tests are skipped, except under CI=true.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import uvicorn
from fastapi import FastAPI

from api.app import create_app
from api.deps import get_store
from graph.embedded import EmbeddedStore
from tests.conftest import in_ci
from tests.factory import (
    MOU_DOC,
    PLAN_DOC,
    hostile_document,
    mou_document,
    plan_document,
    plan_text,
)

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("LIENKET_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
LOCAL_HOST = "127.0.0.1"
WAIT_MS = 30_000
HOSTILE_ORG = "<script>window.__pwned=1</script>Sở <b>Thử</b>"
HOSTILE_TASK = '<img src=x onerror="window.__pwned=1">Sự kiện thử'


def _browser_missing() -> str | None:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (install the Debian package: apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install playwright; no browser download needed)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    reason = _browser_missing()
    if reason:
        if in_ci():
            pytest.fail(f"browser tests must run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield chromium
        chromium.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL_HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app served by uvicorn in a background thread on a free local port; yields its URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=LOCAL_HOST, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://{LOCAL_HOST}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, served by uvicorn in a background thread over the factory documents."""
    store = EmbeddedStore(tmp_path_factory.mktemp("browser") / "db")
    for doc in (mou_document(), plan_document(), hostile_document()):
        store.write_document(doc)
    store.save_document_text(PLAN_DOC, plan_text())
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    with serving(app) as url:
        yield url


class Offline:
    """A browser page whose requests to any host but 127.0.0.1 are aborted (and remembered)."""

    def __init__(self, browser: object, **context_options: object) -> None:
        options = {"viewport": {"width": 1100, "height": 800}, **context_options}
        self.context = browser.new_context(**options)  # type: ignore[attr-defined]
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))

    def _route(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if urlsplit(url).hostname == LOCAL_HOST:
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def offline(browser: object) -> Iterator[Offline]:
    tab = Offline(browser)
    yield tab
    tab.context.close()


def _open_card(tab: Offline, base_url: str, typed: str, kind: str, name: str) -> None:
    """Type into the search box like a person, then open the hit of that kind and name."""
    page = tab.page
    page.goto(base_url + "/")
    page.locator("#q").press_sequentially(typed, delay=30)
    hit = page.locator(f'#results section[data-kind="{kind}"] button.entity', has_text=name).first
    hit.wait_for(timeout=WAIT_MS)
    hit.click()
    from playwright.sync_api import expect

    expect(page.locator("#card-name")).to_have_text(name, timeout=WAIT_MS)


def _wait_drawn(frame: object) -> None:
    """Poll from Python: the pages' CSP forbids the eval that wait_for_function would need."""
    deadline = time.monotonic() + WAIT_MS / 1000
    while not frame.evaluate("window.lienketDrawn === true"):  # type: ignore[attr-defined]
        if time.monotonic() > deadline:
            pytest.fail("the picture was not drawn in time")
        time.sleep(0.05)


def _card_picture(page: object, view: str = "/viz/data/neighbourhood/") -> object:
    """The page's picture of this view, once drawn (the page draws it with its cached vis.js)."""
    page.locator(f'#network[data-view^="{view}"] canvas').wait_for(timeout=WAIT_MS)  # type: ignore[attr-defined]
    _wait_drawn(page)
    return page


def _screen_point(page: object, node_id: str) -> dict[str, float]:
    """Where a node of the picture is on the screen."""
    return page.evaluate("""(id) => {
        const box = document.getElementById('network').getBoundingClientRect();
        const at = network.canvasToDOM(network.getPositions([id])[id]);
        return {x: box.left + at.x, y: box.top + at.y};
    }""", node_id)  # type: ignore[attr-defined]


LABEL_BOXES = """() => Object.values(network.body.nodes).filter(n => n.options.label).map(n => {
    const s = n.labelModule.size, r = n.options.size;
    return {id: n.id, label: n.options.label, left: s.left, top: s.top, right: s.left + s.width,
            bottom: s.top + s.height, px: n.labelModule.fontOptions.size * network.getScale(),
            dot: {left: n.x - r, right: n.x + r, top: n.y - r, bottom: n.y + r}};
})"""

BORDER_PIXELS = """() => {
    const canvas = document.querySelector('#network canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
        const [r, g, b] = [data[i], data[i + 1], data[i + 2]];
        if (b > r + 10 && b < 215 && r > 90 && Math.abs(g - b) < 30) { count++; }  // the borders' grey blue
    }
    return count;
}"""


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    """Two boxes share some area."""
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_twinning_map_draws_the_districts_offline(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/viz/twinning")
    _wait_drawn(page)
    labels = page.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert set(labels) == {"Quận 3", "Huyện Tuy Đức", "Thành phố Hồ Chí Minh", "Tỉnh Đắk Nông"}
    relations = page.evaluate("network.body.data.edges.get().map(e => e.relation)")
    assert relations.count("TWINNING") == 1
    assert page.locator("#network canvas").count() == 1
    assert page.evaluate("network.physics.options.enabled") is False
    assert "kết nghĩa" in page.locator("#legend").inner_text()
    offline.shot("twinning")
    assert offline.blocked == [] and offline.errors == []


def test_twinning_map_has_borders_and_labels_that_never_overlap(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/viz/twinning")
    _wait_drawn(page)
    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) == 4 and all(box["px"] >= 12 for box in boxes)  # every label drawn, readable on screen
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not _overlap(a, b), f"labels {a['label']!r} and {b['label']!r} overlap"
            assert not _overlap(a, b["dot"]) and not _overlap(b, a["dot"]), f"{a['label']!r} and {b['label']!r}"
    before = page.evaluate(BORDER_PIXELS)
    assert before > 2000  # province borders are drawn under the nodes
    page.select_option("#period", "after")
    page.wait_for_timeout(200)
    after = page.evaluate(BORDER_PIXELS)
    assert 0 < after < before  # 34 provinces since 2025: fewer borders
    offline.shot("twinning_after_2025")
    page.select_option("#period", "before")
    page.wait_for_timeout(200)
    offline.shot("twinning_borders")
    assert offline.errors == []


def test_the_page_opens_on_the_map_and_switches_to_2025_provinces(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/")
    _card_picture(page, "/viz/data/twinning")
    before = page.evaluate(BORDER_PIXELS)
    assert before > 2000 and page.evaluate("network.body.data.nodes.length") == 4
    offline.shot("page_map")
    page.select_option("#f-period", "after")
    page.click("#filters button[type=submit]")
    _card_picture(page, "/viz/data/twinning?period=after")
    assert "period=after" in page.url and 0 < page.evaluate(BORDER_PIXELS) < before
    assert page.evaluate("document.querySelector('link[rel=icon]').href").endswith("/static/favicon.svg")
    assert offline.blocked == [] and offline.errors == []


def test_twinning_line_tooltip_shows_the_agreement_date_and_source(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/viz/twinning")
    _wait_drawn(page)
    a, b = _screen_point(page, "loc:79-770"), _screen_point(page, "loc:67-667")
    page.mouse.move((a["x"] + b["x"]) / 2, (a["y"] + b["y"]) / 2)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=WAIT_MS)
    text = tooltip.inner_text()
    assert "2024-03-12" in text and "mou_quan3_tuyduc.txt" in text and "Quận 3" in text
    offline.shot("twinning_tooltip")


def test_searching_a_district_shows_its_twinning_partner(offline: Offline, base_url: str) -> None:
    _open_card(offline, base_url, "quan 3", "Locality", "Quận 3")
    card = offline.page.locator("#card")
    assert "Huyện Tuy Đức" in card.locator("#card-sections").inner_text()
    picture = _card_picture(offline.page)
    assert "Quận 3" in picture.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert card.locator(".timeline li").count() >= 1  # the locality's agreements on a timeline
    offline.shot("card_quan3")
    assert offline.blocked == [] and offline.errors == []


def test_searching_an_activity_finds_its_contact_and_phone(offline: Offline, base_url: str) -> None:
    _open_card(offline, base_url, "hoi cho ca phe", "Task", "Hội chợ cà phê và nông sản Tây Nguyên")
    sections = offline.page.locator("#card-sections").inner_text()
    assert "Lê Thị Mẫu" in sections and "0901.234.567" in sections and "Phó phòng" in sections
    assert "Sở Công Thương tỉnh Đắk Nông" in sections  # the lead agency
    offline.shot("card_hoi_cho")


def test_a_click_on_a_node_opens_its_card(offline: Offline, base_url: str) -> None:
    page = offline.page
    _open_card(offline, base_url, "quan 3", "Locality", "Quận 3")
    _card_picture(page)
    node = next(n for n in page.evaluate("network.body.data.nodes.get()") if n["kind"] == "Organization")
    spot = _screen_point(page, node["id"])
    page.mouse.click(spot["x"], spot["y"])
    from playwright.sync_api import expect

    expect(page.locator("#card-name")).to_have_text(node["tip"]["h"], timeout=WAIT_MS)
    page.mouse.dblclick(spot["x"], spot["y"])  # double-click: its neighbours join the picture
    page.wait_for_function("() => /\\(\\+\\d+\\)/.test(document.getElementById('picture-count').textContent)",
                           timeout=WAIT_MS)
    offline.shot("click_opens_card")
    assert offline.errors == []


def test_a_filter_redraws_the_picture_with_fewer_nodes(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/?view=graph")
    _card_picture(page, "/viz/data/graph")
    everything = page.evaluate("network.body.data.nodes.length")
    page.select_option("#f-kind", "Locality")
    page.click("#filters button[type=submit]")
    page.wait_for_function("() => document.getElementById('network').dataset.nodes === '4'", timeout=WAIT_MS)
    _wait_drawn(page)
    assert page.evaluate("network.body.data.nodes.length") == 4 < everything
    assert "kind=Locality" in page.url
    offline.shot("filter_localities")
    assert offline.errors == []


def test_exports_download_the_current_view(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/?view=graph&kind=Locality")
    _card_picture(page, "/viz/data/graph")
    with page.expect_download() as graphml:
        page.click("#export-graphml")
    text = Path(graphml.value.path()).read_text(encoding="utf-8")
    assert "<graphml" in text and "Quận 3" in text and "Sở Công Thương" not in text  # the filtered view
    with page.expect_download() as png:
        page.click("#export-png")
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert offline.errors == []


def test_a_quote_link_highlights_the_quote_in_its_document(offline: Offline, base_url: str) -> None:
    page = offline.page
    _open_card(offline, base_url, "hoi cho ca phe", "Task", "Hội chợ cà phê và nông sản Tây Nguyên")
    link = page.locator("#card-sections .quote-link").last
    quote = link.get_attribute("title").split(": ", 1)[1]
    link.click()
    row = page.locator("#document-text tr.chosen")  # the quote is a row of the appendix table
    row.wait_for(timeout=WAIT_MS)
    assert " | ".join(cell for cell in row.locator("td").all_inner_texts() if cell) == quote
    assert page.locator("#document-text h3").all_inner_texts() == ["KẾ HOẠCH", "PHỤ LỤC"]  # in its whole text
    assert page.locator("#document-text p", has_text="<b>Thỏa thuận</b>").count() == 1  # text, never markup
    assert page.locator("#document-text .page").all_inner_texts() == ["— trang 1 —", "— trang 2 —"]
    assert row.evaluate("(row) => { const box = row.closest('#document-text').getBoundingClientRect();"
                        " const at = row.getBoundingClientRect(); return at.top >= box.top && at.bottom <= box.bottom; }")
    assert page.locator("#document-quotes").is_hidden()
    offline.shot("quote_highlighted")
    # A quote in a paragraph is marked inside it, the rest of the paragraph around it.
    cited = plan_document().nodes[0].sources[0].quote
    page.goto(base_url + "/?" + urlencode({"doc": PLAN_DOC, "quote": cited}))
    mark = page.locator("#document-text p mark")
    mark.wait_for(timeout=WAIT_MS)
    assert mark.inner_text() == cited and mark.locator("xpath=..").inner_text().startswith("Căn cứ " + cited)
    # A document whose text the store does not keep shows its quotes, the chosen one marked.
    quote = mou_document().nodes[0].sources[0].quote
    page.goto(base_url + "/?" + urlencode({"doc": MOU_DOC, "quote": quote}))
    page.locator("#document-quotes mark").wait_for(timeout=WAIT_MS)
    assert page.locator("#document-quotes mark").inner_text() == quote
    assert page.locator("#document-text").is_hidden()
    assert offline.errors == []


def test_back_and_forward_keep_card_and_picture_together(offline: Offline, base_url: str) -> None:
    page = offline.page
    from playwright.sync_api import expect

    _open_card(offline, base_url, "quan 3", "Locality", "Quận 3")
    _card_picture(page)
    page.locator("#card-sections button.entity", has_text="Huyện Tuy Đức").first.click()
    expect(page.locator("#card-name")).to_have_text("Huyện Tuy Đức", timeout=WAIT_MS)
    expect(page.locator("#picture-title")).to_contain_text("Huyện Tuy Đức", timeout=WAIT_MS)
    page.go_back()
    expect(page.locator("#card-name")).to_have_text("Quận 3", timeout=WAIT_MS)
    expect(page.locator("#picture-title")).to_contain_text("Quận 3", timeout=WAIT_MS)
    _wait_drawn(page)
    assert "loc:79-770" in page.evaluate("network.body.data.nodes.getIds()")
    offline.shot("back_restores")
    page.go_forward()
    expect(page.locator("#card-name")).to_have_text("Huyện Tuy Đức", timeout=WAIT_MS)
    expect(page.locator("#picture-title")).to_contain_text("Huyện Tuy Đức", timeout=WAIT_MS)
    assert offline.errors == []


def test_arrow_keys_move_through_results(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/")
    page.locator("#q").press_sequentially("quan 3", delay=30)
    page.locator("#results button.entity").first.wait_for(timeout=WAIT_MS)
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.textContent")
    page.keyboard.press("ArrowDown")
    second = page.evaluate("document.activeElement.textContent")
    assert first != second and page.evaluate("document.activeElement.className") == "entity"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    from playwright.sync_api import expect

    expect(page.locator("#card-name")).to_have_text(first, timeout=WAIT_MS)


def test_docs_render_offline(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/docs")
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=WAIT_MS)
    assert page.locator(".swagger-ui .opblock").count() > 20
    offline.shot("docs")
    assert offline.blocked == []


def test_a_big_picture_opens_grouped_and_a_group_opens_on_click(offline: Offline) -> None:
    from benchmarks.viz_bench import synthetic_graph
    from visualize.render import picture_of, render

    page = offline.page
    page.set_content(render(picture_of(synthetic_graph(600), "lớn")))
    _wait_drawn(page)
    total = page.evaluate("data.nodes.length")
    shown = page.evaluate("network.body.nodeIndices.length")
    assert total >= 600 and shown < total / 3  # grouped by province or kind
    group = page.evaluate("network.body.nodeIndices.find(id => id.startsWith('group:'))")
    spot = _screen_point(page, group)
    page.mouse.click(spot["x"], spot["y"])
    page.wait_for_timeout(300)
    assert page.evaluate("network.body.nodeIndices.length") > shown
    assert group not in page.evaluate("network.body.nodeIndices")
    offline.shot("big_grouped")
    assert offline.errors == []


def test_hostile_names_show_as_text_and_run_nothing(offline: Offline, base_url: str) -> None:
    page = offline.page
    _open_card(offline, base_url, "su kien thu", "Task", HOSTILE_TASK)
    assert page.locator("#card-name").inner_text() == HOSTILE_TASK
    assert HOSTILE_ORG in page.locator("#card-sections").inner_text()
    assert page.locator("#card img, #results img, #card b, #card script").count() == 0
    picture = _card_picture(page)
    assert HOSTILE_ORG in picture.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert page.evaluate("window.__pwned") is None
    offline.shot("hostile_card")


def test_hostile_tooltip_is_text(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/viz/neighbourhood/org:evil?depth=1")
    _wait_drawn(page)
    page.wait_for_timeout(300)  # let the one-off stabilisation finish moving nodes
    spot = _screen_point(page, "org:evil")
    page.mouse.move(spot["x"], spot["y"])
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=WAIT_MS)
    assert HOSTILE_ORG in tooltip.inner_text()
    assert tooltip.locator("script, img").count() == 0
    assert page.evaluate("window.__pwned") is None
    offline.shot("hostile_tooltip")
    assert offline.errors == []


def test_page_fits_a_phone_screen(browser: object, base_url: str) -> None:
    tab = Offline(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                  device_scale_factor=2)
    try:
        _open_card(tab, base_url, "hoi cho ca phe", "Task", "Hội chợ cà phê và nông sản Tây Nguyên")
        _card_picture(tab.page)
        wide = tab.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert wide <= 0, f"the page scrolls sideways by {wide}px on a phone"
        assert tab.page.locator("#q").bounding_box()["width"] > 300  # type: ignore[index]
        tab.shot("phone_card")
        assert tab.blocked == [] and tab.errors == []
    finally:
        tab.context.close()
