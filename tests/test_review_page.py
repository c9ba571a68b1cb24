"""The review page in a real headless Chromium, network cut off: two entities side by side, keys y / n / s."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.app import create_app
from api.deps import get_store, key_digest
from api.settings import Settings, get_settings
from graph.embedded import EmbeddedStore
from ingest.pipeline import ingest_bytes
from tests.test_browser import WAIT_MS, Offline, browser, serving  # noqa: F401 (fixture)
from tests.test_resolution import UNSURE_A, UNSURE_B

pytestmark = pytest.mark.browser
API_KEY = "review-key-for-tests-only"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, EmbeddedStore]]:
    """The app over a store holding one unsure pair, served by uvicorn on a free port."""
    store = EmbeddedStore(tmp_path / "db")
    ingest_bytes(store, "kh_a.txt", UNSURE_A)
    ingest_bytes(store, "kh_b.txt", UNSURE_B)
    app = create_app()
    settings = Settings(_env_file=None, lienket_api_key_hashes=key_digest(API_KEY))  # type: ignore[call-arg]
    app.dependency_overrides[get_store] = lambda: store
    app.dependency_overrides[get_settings] = lambda: settings
    with serving(app) as url:
        yield url, store


def test_the_main_page_links_to_the_review_page(browser: object, served: tuple[str, EmbeddedStore]) -> None:  # noqa: F811
    url, _ = served
    offline = Offline(browser)
    offline.page.goto(url + "/")
    assert offline.page.get_attribute("#review-link", "href") == "/review"


def test_keys_s_then_y_skip_and_then_merge_the_pair(browser: object, served: tuple[str, EmbeddedStore]) -> None:  # noqa: F811
    url, store = served
    offline = Offline(browser)
    page = offline.page
    page.goto(url + "/review")
    page.wait_for_selector("#pair:not([hidden])", timeout=WAIT_MS)
    assert page.inner_text("#left h2") == page.inner_text("#right h2") == "Hà Văn Thử"
    assert "kh_a.txt" in page.inner_text("#pair") and "kh_b.txt" in page.inner_text("#pair")
    page.keyboard.press("s")
    assert page.is_hidden("#pair")
    page.reload()
    page.wait_for_selector("#pair:not([hidden])", timeout=WAIT_MS)
    page.fill("#api-key", API_KEY)
    page.dispatch_event("#api-key", "change")
    page.click("body")
    page.keyboard.press("y")
    page.wait_for_selector("#undo-box:not([hidden])", timeout=WAIT_MS)
    assert len([n for n in store.subgraph().nodes if n.kind == "Person"]) == 1
    page.click("#undo")
    page.wait_for_selector("#pair:not([hidden])", timeout=WAIT_MS)
    assert len([n for n in store.subgraph().nodes if n.kind == "Person"]) == 2
    assert offline.blocked == [] and offline.errors == []
