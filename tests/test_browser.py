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
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn

from api.app import create_app
from api.deps import get_store
from graph.embedded import EmbeddedStore
from tests.conftest import in_ci
from tests.factory import hostile_document, mou_document, plan_document

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


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, served by uvicorn in a background thread over the factory documents."""
    store = EmbeddedStore(tmp_path_factory.mktemp("browser") / "db")
    for doc in (mou_document(), plan_document(), hostile_document()):
        store.write_document(doc)
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host=LOCAL_HOST, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://{LOCAL_HOST}:{port}"
    server.should_exit = True
    thread.join(timeout=10)


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


def _card_picture(page: object) -> object:
    """The card's neighbourhood picture (an iframe), once it is drawn."""
    page.frame_locator("#picture-frame").locator("#network canvas").wait_for(timeout=WAIT_MS)  # type: ignore[attr-defined]
    frame = next(f for f in page.frames if "/viz/neighbourhood/" in f.url)  # type: ignore[attr-defined]
    _wait_drawn(frame)
    return frame


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


def test_searching_a_district_shows_its_twinning_partner(offline: Offline, base_url: str) -> None:
    _open_card(offline, base_url, "quan 3", "Locality", "Quận 3")
    card = offline.page.locator("#card")
    assert "Huyện Tuy Đức" in card.locator("#card-sections").inner_text()
    picture = _card_picture(offline.page)
    assert "Quận 3" in picture.evaluate("network.body.data.nodes.get().map(n => n.label)")
    offline.shot("card_quan3")
    assert offline.blocked == [] and offline.errors == []


def test_searching_an_activity_finds_its_contact_and_phone(offline: Offline, base_url: str) -> None:
    _open_card(offline, base_url, "hoi cho ca phe", "Task", "Hội chợ cà phê và nông sản Tây Nguyên")
    sections = offline.page.locator("#card-sections").inner_text()
    assert "Lê Thị Mẫu" in sections and "0901.234.567" in sections and "Phó phòng" in sections
    assert "Sở Công Thương tỉnh Đắk Nông" in sections  # the lead agency
    offline.shot("card_hoi_cho")


def test_hostile_names_show_as_text_and_run_nothing(offline: Offline, base_url: str) -> None:
    page = offline.page
    _open_card(offline, base_url, "su kien thu", "Task", HOSTILE_TASK)
    assert page.locator("#card-name").inner_text() == HOSTILE_TASK
    assert HOSTILE_ORG in page.locator("#card-sections").inner_text()
    assert page.locator("#card img, #results img, #card b, #card script").count() == 0
    picture = _card_picture(page)
    assert HOSTILE_ORG in picture.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert page.evaluate("window.__pwned") is None
    assert picture.evaluate("window.__pwned") is None
    offline.shot("hostile_card")


def test_hostile_tooltip_is_text(offline: Offline, base_url: str) -> None:
    page = offline.page
    page.goto(base_url + "/viz/neighbourhood/org:evil?depth=1")
    _wait_drawn(page)
    page.wait_for_timeout(300)  # let the one-off stabilisation finish moving nodes
    spot = page.evaluate("""() => {
        const box = document.getElementById('network').getBoundingClientRect();
        const at = network.canvasToDOM(network.getPositions(['org:evil'])['org:evil']);
        return {x: box.left + at.x, y: box.top + at.y};
    }""")
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
