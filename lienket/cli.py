"""The ``lienket`` command line: ingest documents, ask questions, export, inspect, serve, draw.

Exit codes scripts can trust: 0 success, 1 some input could not be used (the rest went
in), 2 wrong usage, 3 the store could not be opened.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from pydantic import BaseModel

from api.settings import get_settings
from graph.store import MAX_DEPTH, YEARS, GraphFilter, GraphStore

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Liên Kết: a knowledge graph of Vietnamese inter-locality cooperation.")
ask_app = typer.Typer(no_args_is_help=True, help="Answer a question from the graph (see CONTRACT.md).")
app.add_typer(ask_app, name="ask")
viz_app = typer.Typer(no_args_is_help=True, help="Draw a network picture as a standalone, offline HTML page.")
app.add_typer(viz_app, name="viz")

if TYPE_CHECKING:
    from rich.console import Console


class LazyConsole:
    """A rich Console made on first use: rich takes long to import, and `ask --json` prints without it."""

    def __init__(self, stderr: bool) -> None:
        self.stderr = stderr
        self._console: Console | None = None

    def real(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self.stderr)
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        self.real().print(*objects, **options)


out = LazyConsole(stderr=False)
err = LazyConsole(stderr=True)

EXIT_BAD_INPUT = 1
EXIT_STORE = 3

DbOption = Annotated[Optional[Path], typer.Option("--db", help="Embedded store folder (default $LIENKET_DB or ./data).")]
BackendOption = Annotated[Optional[str], typer.Option("--backend", help="embedded (default) or neo4j; default $LIENKET_BACKEND.")]


def _known_kinds(kinds: Optional[list[str]]) -> Optional[list[str]]:
    """Reject a --kind the schema does not define: a typo would otherwise select nothing, silently."""
    from graph.model import node_kinds

    unknown = [kind for kind in kinds or [] if kind not in node_kinds()]
    if unknown:
        raise typer.BadParameter(f"unknown kind {', '.join(unknown)}; the kinds are {', '.join(node_kinds())}")
    return kinds


KindsOption = Annotated[Optional[list[str]], typer.Option("--kind", help="Keep only these node kinds.",
                                                          callback=_known_kinds)]
FILTER = GraphFilter.model_fields  # the filters' help and limits, as every front end has them
SectorOption = Annotated[Optional[str], typer.Option(help=f"{FILTER['sector'].description}.")]
YearOption = Annotated[Optional[int], typer.Option(help=f"{FILTER['year'].description}.", min=YEARS[0], max=YEARS[1])]
LocalityOption = Annotated[Optional[str], typer.Option(help=f"{FILTER['locality'].description}.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON array instead of a table.")]


def _store(db: Path | None, backend: str | None) -> GraphStore:
    chosen = {"lienket_backend": backend, "lienket_db": db}
    settings = get_settings().model_copy(update={k: v for k, v in chosen.items() if v is not None})
    try:
        return settings.open_store()
    except Exception as exc:  # the store's own message says what is wrong
        err.print(f"[red]cannot open the store:[/] {exc}")
        raise typer.Exit(EXIT_STORE) from exc


def _print_answers(items: list[BaseModel], as_json: bool, columns: list[str]) -> None:
    rows = [item.model_dump(mode="json") for item in items]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if not rows:
        out.print("[yellow]No answer in the graph.[/]")
        return
    from rich.table import Table  # only tables need it: `ask --json` starts without

    table = Table(*columns, "sources", show_lines=True)
    for row in rows:
        sources = "\n".join(f"{s['document']}: {s['quote'][:90]}" for s in row["sources"][:3])
        table.add_row(*[_cell(row.get(c)) for c in columns], sources)
    out.print(table)


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of documents (UTF-8 text).")],
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """Read documents into the graph. Bad files are named and skipped; the others still go in."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from ingest.pipeline import collect_files, ingest_files

    files = collect_files(paths)
    if not files:
        err.print("[red]no documents found in[/] " + ", ".join(str(p) for p in paths))
        raise typer.Exit(EXIT_BAD_INPUT)
    with _store(db, backend) as store:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err.real(), transient=True) as progress:
            bar = progress.add_task("Reading", total=len(files))
            results = ingest_files(store, files, on_progress=lambda name: progress.update(bar, advance=1, description=name))
    table = Table("document", "status", "nodes (+new)", "relationships (+new)", "note", title="Ingest")
    for r in results:
        style = "red" if r.error else ""
        table.add_row(r.document, r.status, f"{r.nodes} (+{r.nodes_added})",
                      f"{r.relationships} (+{r.relationships_added})", r.error or "; ".join(r.warnings), style=style)
    err.print(table)
    failed = [r for r in results if r.error]
    if failed:
        for r in failed:
            err.print(f"[red]error:[/] {r.path}: {r.error}")
        raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def remove(document: Annotated[str, typer.Argument(help="Document name as ingested.")],
           db: DbOption = None, backend: BackendOption = None) -> None:
    """Remove a document and the facts only it supported."""
    with _store(db, backend) as store:
        try:
            summary = store.remove_document(document)
        except KeyError:
            err.print(f"[red]no document named[/] {document}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
    out.print(f"removed {summary.document}: {summary.nodes_deleted} nodes, {summary.relationships_deleted} relationships")


@ask_app.command("contact")
def ask_contact(activity: str, as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """Who is the contact point for an activity?"""
    with _store(db, backend) as store:
        _print_answers(store.contacts(activity), as_json, ["task", "person", "title", "organization", "phone"])


@ask_app.command("partners")
def ask_partners(locality: str, as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """Which localities cooperate with this one through agreements?"""
    with _store(db, backend) as store:
        _print_answers(store.partners(locality), as_json, ["locality", "agreement", "date"])


@ask_app.command("agreement")
def ask_agreement(party_a: str, party_b: str, as_json: JsonOption = False, db: DbOption = None,
                  backend: BackendOption = None) -> None:
    """Which agreements bind these two parties?"""
    with _store(db, backend) as store:
        _print_answers(store.agreements_between(party_a, party_b), as_json, ["title", "date", "parties", "sectors"])


@ask_app.command("lead")
def ask_lead(task: str, as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """Which agency leads a task?"""
    with _store(db, backend) as store:
        _print_answers(store.lead(task), as_json, ["task", "organization"])


@ask_app.command("person")
def ask_person(name: str, as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """What positions does a person hold?"""
    with _store(db, backend) as store:
        _print_answers(store.person(name), as_json, ["person", "title", "organization", "phone"])


@ask_app.command("org-tasks")
def ask_org_tasks(organization: str, as_json: JsonOption = False, db: DbOption = None,
                  backend: BackendOption = None) -> None:
    """Which tasks does an organization lead or coordinate?"""
    with _store(db, backend) as store:
        _print_answers(store.org_tasks(organization), as_json, ["task", "role", "timeframe"])


class ExportFormat(str, Enum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"


@app.command()
def export(
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write (a folder for csv).")],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="graphml, gexf, json (node-link) or csv (neo4j-admin import).")] = ExportFormat.graphml,
    kinds: KindsOption = None,
    sector: SectorOption = None,
    year: YearOption = None,
    locality: LocalityOption = None,
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """Export the graph (or a filtered part) for Gephi, networkx or neo4j-admin import."""
    from graph.export import write

    with _store(db, backend) as store:
        graph = store.subgraph(GraphFilter(kinds=kinds or [], sector=sector, year=year, locality=locality))
    try:
        written = write(graph, fmt.value, output)
    except OSError as exc:
        err.print(f"[red]cannot write {output}:[/] {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    out.print(f"wrote {len(graph.nodes)} nodes and {len(graph.relationships)} relationships to "
              + ", ".join(str(p) for p in written))


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="A node-link JSON file written by `lienket export --format json`.")],
    replace: Annotated[bool, typer.Option(help="Clear the store first.")] = False,
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """Load an exported graph into this store (to move a graph between backends)."""
    from graph.export import read_node_link

    try:
        graph = read_node_link(source)
    except (OSError, ValueError, KeyError) as exc:
        err.print(f"[red]cannot read {source}:[/] {exc}")
        raise typer.Exit(EXIT_BAD_INPUT) from exc
    with _store(db, backend) as store:
        if replace:
            store.clear()
        store.import_graph(graph)
        counts = store.counts()
    out.print(f"imported {len(graph.nodes)} nodes and {len(graph.relationships)} relationships; "
              f"store now holds {sum(counts.nodes.values())} nodes")


@app.command()
def stats(as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """Counts of nodes by kind, relationships by type, and documents."""
    with _store(db, backend) as store:
        counts = store.counts()
        docs = store.documents()
    if as_json:
        sys.stdout.write(json.dumps({**counts.model_dump(), "document_list": [d.model_dump() for d in docs]},
                                    ensure_ascii=False, indent=1) + "\n")
        return
    from rich.table import Table

    table = Table("kind", "count", title=f"{counts.documents} documents")
    for kind, n in counts.nodes.items():
        table.add_row(kind, str(n))
    for rel, n in counts.relationships.items():
        table.add_row(f"-[{rel}]->", str(n))
    out.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    reload: Annotated[bool, typer.Option(help="Restart when the code changes (development).")] = False,
) -> None:
    """Serve the HTTP API (api.app:app). The store and keys come from LIENKET_* and NEO4J_* variables."""
    import uvicorn

    uvicorn.run("api.app:app", host=host, port=port, reload=reload)


VizOutput = Annotated[Path, typer.Option("-o", "--output", help="HTML file to write (UTF-8).")]


def _draw(picture_of: Callable[[GraphStore], Any], output: Path, db: Path | None, backend: str | None) -> None:
    """Choose a picture from the store, write it as a page, say what was written."""
    from visualize.render import render, write_page

    with _store(db, backend) as store:
        try:
            picture = picture_of(store)
        except LookupError as exc:
            err.print(f"[red]nothing to draw:[/] {exc}")
            raise typer.Exit(EXIT_BAD_INPUT) from exc
    write_page(render(picture), output)
    out.print(f"wrote {output}: {len(picture.nodes)} nodes, {len(picture.links)} links")


@viz_app.command("twinning")
def viz_twinning(output: VizOutput, db: DbOption = None, backend: BackendOption = None) -> None:
    """Map of districts joined by twinning agreements, placed by their coordinates."""
    from visualize import views

    _draw(views.twinning, output, db, backend)


@viz_app.command("agreements")
def viz_agreements(locality: Annotated[str, typer.Argument(help="A locality name, e.g. TP.HCM.")], output: VizOutput,
                   db: DbOption = None, backend: BackendOption = None) -> None:
    """A locality's cooperation programme: agreements, parties and sectors."""
    from visualize import views

    _draw(lambda store: views.agreements(store, locality), output, db, backend)


@viz_app.command("neighbourhood")
def viz_neighbourhood(entity_id: Annotated[str, typer.Argument(help="A node id, as search returns it.")],
                      output: VizOutput,
                      depth: Annotated[int, typer.Option(min=1, max=MAX_DEPTH, help="Hops, either direction.")] = 1,
                      db: DbOption = None, backend: BackendOption = None) -> None:
    """An entity and everything within --depth hops of it."""
    from visualize import views

    _draw(lambda store: views.neighbourhood(store, entity_id, depth), output, db, backend)


@viz_app.command("graph")
def viz_graph(
    output: VizOutput,
    kinds: KindsOption = None,
    sector: SectorOption = None,
    year: YearOption = None,
    locality: LocalityOption = None,
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """The whole graph, or the part the filters select."""
    from visualize import views

    chosen = GraphFilter(kinds=kinds or [], sector=sector, year=year, locality=locality)
    _draw(lambda store: views.whole(store, chosen), output, db, backend)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
