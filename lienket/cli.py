"""The ``lienket`` command line: ingest documents, ask questions, export, inspect, serve, draw.

Exit codes scripts can trust: 0 success, 1 some input could not be used (the rest went
in), 2 wrong usage, 3 the store could not be opened or used. Messages about the store (which one
was read, a warning when it holds nothing) go to stderr, so stdout stays the answer.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from api.settings import Settings
from graph import resolution
from graph.store import MAX_DEPTH, YEARS, GraphFilter, GraphStore, StoreUnavailable

app = typer.Typer(add_completion=False, no_args_is_help=True, help=(
    "Liên Kết: a knowledge graph of Vietnamese inter-locality cooperation.\n\n"
    "The store is the folder --db, else $LIENKET_DB, else ./data in the current folder "
    "(or Neo4j with --backend neo4j and NEO4J_URI). "
    "Exit codes: 0 success, 1 some input could not be used, 2 wrong usage, 3 the store could not be opened or used."))
ask_app = typer.Typer(no_args_is_help=True, help=(
    "Answer a question from the graph. Type names as people write them: with or without diacritics, "
    "with abbreviations (TP.HCM, UBND, Sở NN&PTNT, Q.5), or partly.\n\n"
    "Prints each answer as a card, one field a line, best answer first; with --json, one JSON array of "
    "objects with the fields each question names below. Every answer carries sources: the document and "
    "the quote it was read from. "
    "No good match prints 'No answer in the graph.' (with --json: []), never the nearest guess."))
app.add_typer(ask_app, name="ask")
viz_app = typer.Typer(no_args_is_help=True, help="Draw a network picture as a standalone, offline HTML page.")
app.add_typer(viz_app, name="viz")

out = Console()
err = Console(stderr=True)

EXIT_BAD_INPUT = 1
EXIT_STORE = 3

DbOption = Annotated[Optional[Path], typer.Option(
    "--db", metavar="FOLDER", help="Embedded store folder (default $LIENKET_DB, else ./data in the current folder).")]
BackendOption = Annotated[Optional[str], typer.Option(
    "--backend", metavar="NAME",
    help="embedded (default) or neo4j (from NEO4J_* variables); default $LIENKET_BACKEND.")]


def _not_blank(text: str) -> str:
    """Refuse an empty question: it would match nothing and look like an answer of []."""
    if not text.strip():
        raise typer.BadParameter("is empty: type what you are looking for")
    return text


def _in_existing_folder(output: Path) -> Path:
    """Refuse an output whose folder does not exist, instead of creating folders from a typo."""
    folder = output.parent
    if not folder.exists():
        raise typer.BadParameter(f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder} is a file, not a folder")
    return output


def _question(name: str, example: str) -> Any:
    return typer.Argument(metavar=name, callback=_not_blank, help=f"What a person types, e.g. {example}.")


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
JsonOption = Annotated[bool, typer.Option("--json", metavar="", help="Print a JSON array instead of a table.")]


def _settings(db: Path | None, backend: str | None) -> Settings:
    """The settings, with what the command line says instead of LIENKET_DB / LIENKET_BACKEND."""
    chosen = {"lienket_backend": backend, "lienket_db": db}
    return Settings.from_environment().model_copy(update={k: v for k, v in chosen.items() if v is not None})


def _embedded_path(db: Path | None, backend: str | None) -> Path | None:
    """The folder the embedded store would be read from; None when the backend is Neo4j."""
    settings = _settings(db, backend)
    return settings.lienket_db.absolute() if settings.lienket_backend.lower() == "embedded" else None


def _store(db: Path | None, backend: str | None) -> GraphStore:
    folder = _embedded_path(db, backend)
    if folder is not None and folder.exists() and not folder.is_dir():
        err.print(f"[red]cannot open the store:[/] {escape(str(folder))} is a file; the embedded store is a folder "
                  "(set by --db or LIENKET_DB)")
        raise typer.Exit(EXIT_STORE)
    try:
        return _settings(db, backend).open_store()
    except Exception as exc:  # the store's own message says what is wrong
        err.print(f"[red]cannot open the store:[/] {exc}")
        raise typer.Exit(EXIT_STORE) from exc


def _where(store: GraphStore) -> str:
    """Which store this is, in words a person can act on."""
    folder = getattr(store, "path", None)
    if folder is not None:
        return f"the embedded store {Path(folder).absolute()}"
    return f"Neo4j database {getattr(store, 'database', '?')} at {Settings.from_environment().neo4j_uri or '?'}"


def _read_store(db: Path | None, backend: str | None, say_which: bool) -> GraphStore:
    """Open the store to read it; say which one it is (to humans) and warn when it holds no document."""
    store = _store(db, backend)
    documents = len(store.documents())
    if say_which:
        err.print(f"Read {_where(store)} ({documents} documents).", markup=False, highlight=False)
    if documents == 0:
        err.print(f"[yellow]warning:[/] {escape(_where(store))} holds no documents, so nothing can be answered. "
                  "Ingest documents first (lienket ingest), or point --db or LIENKET_DB at your store.",
                  highlight=False)
    return store


def _print_answers(items: list[BaseModel], as_json: bool, columns: list[str]) -> None:
    rows = [item.model_dump(mode="json") for item in items]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if not rows:
        out.print("[yellow]No answer in the graph.[/]")
        return
    # One card per answer, a field per line: readable at 80 columns, where a table of six
    # columns would cut phones and names short.
    for number, row in enumerate(rows, 1):
        card = Table.grid(padding=(0, 2))
        card.add_column(style="bold", no_wrap=True)
        card.add_column(overflow="fold")
        for column in columns:
            card.add_row(column, Text(_cell(row.get(column))))
        card.add_row("sources", _sources(row["sources"]))
        out.print(Text(f"{number}.", style="bold"))
        out.print(card, "")


def _cell(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _sources(sources: list[dict[str, str]]) -> Text:
    """The first three sources: each document name in bold on its own line, its quote below it."""
    cell = Text()
    for i, source in enumerate(sources[:3]):
        if i:
            cell.append("\n\n")
        quote = source["quote"] if len(source["quote"]) <= 160 else source["quote"][:159] + "…"
        cell.append(source["document"], style="bold").append(f"\n“{quote}”")
    return cell


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files, folders or http(s) URLs of documents: text, PDF, "
                                                    "scans, Word, web pages.")],
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """Read documents into the graph. Bad files are named and skipped; the others still go in."""
    from ingest.pipeline import collect_files, ingest_files
    from ingest.readers.fetch import is_url

    urls = [p for p in paths if is_url(p)]
    files: list[Path | str] = [*collect_files([Path(p) for p in paths if not is_url(p)]), *urls]
    if not files:
        err.print("[red]no documents found in[/] " + ", ".join(paths))
        raise typer.Exit(EXIT_BAD_INPUT)
    with _store(db, backend) as store:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=err, transient=True) as progress:
            bar = progress.add_task("Reading", total=len(files))
            pages = progress.add_task("pages", total=None, visible=False)  # shown while a PDF or scan is read

            def on_page(name: str, done: int, total: int) -> None:
                progress.update(pages, completed=done, total=total, visible=done < total, description=f"{name}: pages")

            results = ingest_files(store, files, on_progress=lambda name: progress.update(bar, advance=1, description=name),
                                   on_page=on_page)
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
            summary = resolution.remove_document(store, document)
        except KeyError:
            err.print(f"[red]no document named[/] {document}")
            raise typer.Exit(EXIT_BAD_INPUT) from None
    out.print(f"removed {summary.document}: {summary.nodes_deleted} nodes, {summary.relationships_deleted} relationships")


@ask_app.command("contact")
def ask_contact(activity: Annotated[str, _question("ACTIVITY", '"hoi thao du lich kon tum"')],
                as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """Who is the contact point for an activity? Prints task, person, title, organization, phone, sources."""
    with _read_store(db, backend, not as_json) as store:
        _print_answers(store.contacts(activity), as_json, ["task", "person", "title", "organization", "phone"])


@ask_app.command("partners")
def ask_partners(
    locality: Annotated[str, _question("LOCALITY", '"Quận 5", "Q5", "TP.HCM"')],
    within: Annotated[bool, typer.Option("--within", help="Also the partners of the units inside it (a province's districts and communes).")] = False,
    as_of: Annotated[Optional[datetime], typer.Option("--as-of", formats=["%Y-%m-%d"], help="Read the name as the unit of that day (YYYY-MM-DD) and keep the agreements signed by then.")] = None,
    as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None,
) -> None:
    """Which localities cooperate with this one through agreements? Prints locality, agreement, date,
    link, sources. A former or a 2025 name also finds the agreements of the units linked to it by
    the 2025 reorganisation (its link says how)."""
    day = as_of.date().isoformat() if as_of else None
    with _read_store(db, backend, not as_json) as store:
        _print_answers(store.partners(locality, within=within, as_of=day), as_json, ["locality", "agreement", "date", "link"])


@ask_app.command("agreement")
def ask_agreement(party_a: Annotated[str, _question("PARTY_A", '"TP.HCM"')],
                  party_b: Annotated[str, _question("PARTY_B", '"Cần Thơ"')],
                  as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """Which agreements bind these two parties? Prints title, date (ISO), parties, sectors, sources."""
    with _read_store(db, backend, not as_json) as store:
        _print_answers(store.agreements_between(party_a, party_b), as_json, ["title", "date", "parties", "sectors"])


@ask_app.command("lead")
def ask_lead(task: Annotated[str, _question("TASK", '"hoi cho ca phe"')],
             as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """Which agency leads a task? Prints task, organization, sources."""
    with _read_store(db, backend, not as_json) as store:
        _print_answers(store.lead(task), as_json, ["task", "organization"])


@ask_app.command("person")
def ask_person(name: Annotated[str, _question("NAME", "a person's full name")],
               as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """What positions does a person hold? Prints person, title, organization, phone, sources."""
    with _read_store(db, backend, not as_json) as store:
        _print_answers(store.person(name), as_json, ["person", "title", "organization", "phone"])


@ask_app.command("org-tasks")
def ask_org_tasks(organization: Annotated[str, _question("ORGANIZATION", '"Sở NN&PTNT tỉnh Đắk Nông"')],
                  coordinating: Annotated[bool, typer.Option(
                      "--coordinating", help="Also the tasks it only coordinates (role coordinate).")] = False,
                  as_json: JsonOption = False, db: DbOption = None, backend: BackendOption = None) -> None:
    """Which tasks does an organization lead (and, with --coordinating, coordinate)? Prints task, role,
    timeframe, sources."""
    with _read_store(db, backend, not as_json) as store:
        _print_answers(store.org_tasks(organization, coordinating), as_json, ["task", "role", "timeframe"])


class ExportFormat(str, Enum):
    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"


@app.command()
def export(
    output: Annotated[Path, typer.Option("-o", "--output", metavar="PATH", callback=_in_existing_folder,
                                         help="File to write (a folder for csv), in a folder that exists.")],
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

    with _read_store(db, backend, say_which=True) as store:
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
    replace: Annotated[bool, typer.Option(metavar="", help="Clear the store first.")] = False,
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
    """Counts of nodes by kind and relationships by type; the documents ingested, and those only cited.

    A plan cites the plans and letters it is based on: they are Document nodes too, but their
    text was never ingested. The JSON holds the counts, document_list (ingested) and cited
    (cited but not ingested).
    """
    with _read_store(db, backend, not as_json) as store:
        counts = store.counts()
        docs = store.documents()
        cited = _cited_not_ingested(store)
    if as_json:
        sys.stdout.write(json.dumps({**counts.model_dump(), "document_list": [d.model_dump() for d in docs],
                                     "cited": cited}, ensure_ascii=False, indent=1) + "\n")
        return
    table = Table("kind", "count", title=f"{counts.documents} documents ingested")
    for kind, n in counts.nodes.items():
        label = f"{kind} ({counts.documents} ingested, {len(cited)} cited)" if kind == "Document" and cited else kind
        table.add_row(label, str(n))
    for rel, n in counts.relationships.items():
        table.add_row(f"-[{rel}]->", str(n))
    out.print(table)
    if cited:
        out.print(Text("Cited but not ingested: " + "; ".join(cited)))


def _cited_not_ingested(store: GraphStore) -> list[str]:
    """Names of the Document nodes that documents cite but whose own text is not in the store."""
    ingested = {d.document for d in store.documents()}
    documents = store.subgraph(GraphFilter(kinds=["Document"])).nodes
    return sorted(node.name for node in documents
                  if node.properties.get("genre") == "cited" and node.properties.get("file") not in ingested)


REVIEW_ANSWERS = {"y": resolution.SAME, "n": resolution.DIFFERENT}


def _entity_lines(node: Any) -> list[str]:
    if node is None:
        return ["(no longer in the store)"]
    details = [f"{k}: {_cell(v)}" for k, v in node.properties.items() if k != "mentions"]
    sources = [f"  {s.document}: {s.quote[:100]}" for s in node.sources[:4]]
    return [f"[bold]{node.name}[/] ({node.id})", *details, "sources:", *sources]


@app.command()
def review(
    undo: Annotated[Optional[str], typer.Option("--undo", help="Take back a person's judgement by its id.")] = None,
    who: Annotated[str, typer.Option("--who", help="Who decides (kept with each judgement).")] = "reviewer",
    db: DbOption = None,
    backend: BackendOption = None,
) -> None:
    """Judge the pairs resolution was unsure about, best first: y same, n different, s skip, q quit."""
    with _store(db, backend) as store:
        if undo is not None:
            try:
                taken = resolution.undo(store, undo)
            except KeyError:
                err.print(f"[red]no judgement by a person with id[/] {undo}")
                raise typer.Exit(EXIT_BAD_INPUT) from None
            out.print(f"took back {taken.id}: {taken.left} {taken.judgement} {taken.right}")
            return
        queue = resolution.review_queue(store)
        if not queue:
            out.print("Nothing to review.")
            return
        for number, pair in enumerate(queue, 1):
            j = pair.judgement
            table = Table(f"{j.kind} {number}/{len(queue)}: score {j.score:.2f}", "",
                          caption="evidence: " + "; ".join(j.evidence), show_lines=True)
            table.add_row("\n".join(_entity_lines(pair.left)), "\n".join(_entity_lines(pair.right)))
            out.print(table)
            answer = typer.prompt("Same entity? [y]es / [n]o / [s]kip / [q]uit", default="s").strip().lower()
            if answer == "q":
                break
            if answer in REVIEW_ANSWERS:
                made = resolution.decide(store, j.left, j.right, REVIEW_ANSWERS[answer], who)
                out.print(f"recorded {made.id} ({made.judgement}); undo with: lienket review --undo {made.id}")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    reload: Annotated[bool, typer.Option(metavar="", help="Restart when the code changes (development).")] = False,
) -> None:
    """Serve the HTTP API (api.app), with expensive reads in worker processes (LIENKET_MAX_BUSY_REQUESTS of them).
    The store and keys come from LIENKET_* and NEO4J_* variables."""
    import uvicorn

    from api.server import HTTP_PROTOCOL

    uvicorn.run("api.app:create_server_app", factory=True, host=host, port=port, reload=reload, http=HTTP_PROTOCOL)


VizOutput = Annotated[Path, typer.Option("-o", "--output", metavar="PAGE", callback=_in_existing_folder,
                                         help="HTML file to write (UTF-8), in a folder that exists.")]


def _draw(picture_of: Callable[[GraphStore], Any], output: Path, db: Path | None, backend: str | None) -> None:
    """Choose a picture from the store, write it as a page, say what was written."""
    from visualize.render import render, write_page

    with _read_store(db, backend, say_which=True) as store:
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
    # The Neo4j driver logs each connection it loses; what a person needs is said once, below.
    logging.getLogger("neo4j").addHandler(logging.NullHandler())
    try:
        app()
    except StoreUnavailable as exc:  # the database went away after the store opened (opening says so itself)
        err.print(f"[red]the store cannot be used:[/] {escape(str(exc))}", highlight=False)
        sys.exit(EXIT_STORE)


if __name__ == "__main__":
    main()
