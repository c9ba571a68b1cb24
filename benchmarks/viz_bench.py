"""How long a large network picture takes: to build in Python, and to draw in headless Chromium.

A synthetic graph (provinces and districts with coordinates, organizations, tasks, a few
agreements) of 500, 1,500 and 5,000 nodes is drawn as a page; the page is opened from a
file in Chromium with every non-local request aborted, and timed until vis.js has drawn
the first frame of the final picture. A redraw (what one frame of panning costs) is timed too.
Pictures above a few hundred nodes open grouped by province or kind (a click opens a group).

The web page's weight: the app is served over the samples; a card is opened once (first
visit: the page, its scripts, vis.js), then another card is opened in a fresh navigation
with the browser's cache kept, and the bytes that crossed the network for it are counted.

Run: .venv/bin/python benchmarks/viz_bench.py   (needs Chromium, default /usr/bin/chromium or
$LIENKET_CHROMIUM, and the playwright package; no browser download)
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.model import Graph, Node, Relationship, Source, relationship_id  # noqa: E402
from visualize.layout import layout  # noqa: E402
from visualize.render import picture_of, render, write_page  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("LIENKET_CHROMIUM", "/usr/bin/chromium")
SIZES = [500, 1500, 5000]
REDRAWS = 10
SOURCE = Source(document="synthetic.txt", quote="synthetic benchmark data")
# Vietnam's bounding box, roughly: where synthetic places fall.
LAT, LON = (8.6, 23.3), (102.2, 109.4)


def synthetic_graph(size: int, seed: int = 7) -> Graph:
    """About ``size`` nodes: 2% provinces, 14% districts (with coordinates), 40% organizations, tasks, agreements."""
    rng = random.Random(seed)
    nodes: list[Node] = []
    rels: list[Relationship] = []

    def rel(kind: str, start: str, end: str) -> None:
        rels.append(Relationship(id=relationship_id(kind, start, end), type=kind, start=start, end=end,
                                 sources=[SOURCE]))

    provinces = []
    for p in range(max(2, size // 50)):
        lat, lon = rng.uniform(*LAT), rng.uniform(*LON)
        node = Node(id=f"loc:p{p}", kind="Locality", name=f"Tỉnh Thử {p}", sources=[SOURCE],
                    properties={"level": "province", "latitude": lat, "longitude": lon})
        provinces.append(node)
    districts = []
    for d in range(size * 14 // 100):
        parent = rng.choice(provinces)
        lat = parent.properties["latitude"] + rng.uniform(-0.4, 0.4)
        lon = parent.properties["longitude"] + rng.uniform(-0.4, 0.4)
        districts.append(Node(id=f"loc:d{d}", kind="Locality", name=f"Huyện Thử {d}", sources=[SOURCE],
                              properties={"level": "district", "latitude": lat, "longitude": lon}))
        rel("PART_OF", districts[-1].id, parent.id)
    places = provinces + districts
    orgs = [Node(id=f"org:{o}", kind="Organization", name=f"Sở Thử {o}", sources=[SOURCE])
            for o in range(size * 40 // 100)]
    for org in orgs:
        rel("OF", org.id, rng.choice(places).id)
    agreements = [Node(id=f"agr:{a}", kind="Agreement", name=f"Thỏa thuận thử {a}", sources=[SOURCE])
                  for a in range(size * 4 // 100)]
    for agreement in agreements:
        for party in rng.sample(districts, 2):
            rel("PARTY", agreement.id, party.id)
    used = len(places) + len(orgs) + len(agreements)
    tasks = [Node(id=f"task:{t}", kind="Task", name=f"Nhiệm vụ thử {t}", sources=[SOURCE])
             for t in range(max(0, size - used))]
    for task in tasks:
        rel("LED_BY", task.id, rng.choice(orgs).id)
        rel("COORDINATED_BY", task.id, rng.choice(orgs).id)
        rel("IMPLEMENTS", task.id, rng.choice(agreements).id)
    nodes = places + orgs + agreements + tasks
    return Graph(nodes=nodes, relationships=rels)


def time_build(graph: Graph, folder: Path) -> dict[str, float]:
    """Seconds to lay out, seconds to build the whole page, and the page's size."""
    started = time.perf_counter()
    layout(graph.nodes, ((r.start, r.end) for r in graph.relationships))
    layout_s = time.perf_counter() - started
    started = time.perf_counter()
    page = render(picture_of(graph, f"Đồ thị thử {len(graph.nodes)} nút"))
    build_s = time.perf_counter() - started
    path = write_page(page, folder / f"graph_{len(graph.nodes)}.html")
    return {"layout_s": layout_s, "build_s": build_s, "mb": path.stat().st_size / 1e6, "path": str(path)}


def time_browser(browser: object, path: str) -> dict[str, float]:
    """Seconds from navigation to the first drawn frame, and milliseconds per redraw."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    page = context.new_page()
    page.goto(Path(path).as_uri(), wait_until="commit")
    while not page.evaluate("window.lienketDrawn === true"):  # polled: the page's CSP forbids eval
        time.sleep(0.02)
    drawn_ms = page.evaluate("window.lienketDrawnAt")  # performance.now() counts from navigation start
    redraw_ms = page.evaluate(f"""() => {{
        const start = performance.now();
        for (let i = 0; i < {REDRAWS}; i++) {{ network.moveTo({{position: {{x: i * 20, y: i * 10}}}}); network.redraw(); }}
        return (performance.now() - start) / {REDRAWS};
    }}""")
    physics = page.evaluate("network.physics.options.enabled")
    context.close()
    return {"drawn_s": drawn_ms / 1000, "redraw_ms": redraw_ms, "physics": physics}


def card_weight(browser: object, folder: Path) -> dict[str, float]:
    """kB over the network for a card after a first visit (cache warm), and for the first visit."""
    import threading

    import uvicorn

    from api.app import create_app
    from api.deps import get_store
    from graph.embedded import EmbeddedStore
    from graph.store import GraphFilter
    from ingest.pipeline import collect_files, ingest_files

    store = EmbeddedStore(folder / "db")
    ingest_files(store, collect_files([ROOT / "samples"]))
    app = create_app()
    app.dependency_overrides[get_store] = lambda: store
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=8765, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    base = "http://127.0.0.1:8765"
    hits = [node.id for node in store.subgraph(GraphFilter(kinds=["Locality"])).nodes]
    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    weights = []
    for entity in hits[:2]:
        page.goto(f"{base}/?id={entity}&view=neighbourhood&focus={entity}")
        page.locator('#network[data-view^="/viz/data/neighbourhood/"] canvas').wait_for()
        while not page.evaluate("window.lienketDrawn === true"):
            time.sleep(0.02)
        weights.append(page.evaluate("""() => {
            const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
            return all.reduce((sum, entry) => sum + entry.transferSize, 0) / 1000;
        }"""))
    context.close()
    server.should_exit = True
    return {"first_kb": weights[0], "card_kb": weights[-1]}


def main() -> None:
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        for size in SIZES:
            graph = synthetic_graph(size)
            built = time_build(graph, Path(tmp))
            drawn = time_browser(browser, str(built["path"]))
            rows.append((len(graph.nodes), len(graph.relationships), built, drawn))
        weight = card_weight(browser, Path(tmp))
        browser.close()
    print(f"{'nodes':>6} {'edges':>6} {'layout s':>9} {'page s':>7} {'page MB':>8} {'drawn s':>8} "
          f"{'redraw ms':>10} {'physics':>8}")
    for nodes, edges, built, drawn in rows:
        print(f"{nodes:>6} {edges:>6} {built['layout_s']:>9.3f} {built['build_s']:>7.2f} {built['mb']:>8.2f} "
              f"{drawn['drawn_s']:>8.2f} {drawn['redraw_ms']:>10.1f} {str(drawn['physics']):>8}")
    print(f"web page: first visit {weight['first_kb']:.0f} kB over the network; "
          f"a card after the first visit {weight['card_kb']:.1f} kB")


if __name__ == "__main__":
    main()
