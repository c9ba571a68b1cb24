"""The graph as a whole: counts, and exports for Gephi, networkx and neo4j-admin."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from enum import Enum
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from api.deps import FilterDep, StoreDep
from api.examples import ok
from api.problems import problem_responses
from graph.export import write
from graph.model import Counts

router = APIRouter(tags=["graph"])


class ExportFormat(str, Enum):
    """A file format of the export."""

    graphml = "graphml"
    gexf = "gexf"
    json = "json"
    csv = "csv"


# media type and file name of each format (csv is a zip of nodes.csv and relationships.csv)
EXPORT_FILES = {
    ExportFormat.graphml: ("application/graphml+xml", "lienket.graphml"),
    ExportFormat.gexf: ("application/gexf+xml", "lienket.gexf"),
    ExportFormat.json: ("application/json", "lienket.json"),
    ExportFormat.csv: ("application/zip", "lienket-csv.zip"),
}
EXPORT_CONTENT = {
    "application/graphml+xml": {"schema": {"type": "string"}},
    "application/gexf+xml": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "object", "description": "networkx node-link data"}},
    "application/zip": {"schema": {"type": "string", "format": "binary"}},
}


@router.get("/stats", response_model=Counts, responses=ok("stats"))
def stats(store: StoreDep) -> Counts:
    """Node counts by kind, relationship counts by type, and the number of documents."""
    return store.counts()


@router.get("/export/{fmt}", response_class=FileResponse,
            responses={200: {"description": "the export file", "content": EXPORT_CONTENT},
                       **problem_responses(422)})
def export(
    store: StoreDep,
    fmt: Annotated[ExportFormat, Path(description="graphml, gexf, json (node-link) or csv (zip)")],
    chosen: FilterDep,
) -> FileResponse:
    """The whole graph, or the part the filters select, as a file to download.

    The file is written to a temporary folder and streamed from there (not held in memory as one
    body); the folder is removed once the answer is sent."""
    graph = store.subgraph(chosen)
    media_type, filename = EXPORT_FILES[fmt]
    folder = FilePath(tempfile.mkdtemp(prefix="lienket-export-"))
    try:
        if fmt is ExportFormat.csv:
            path = _zip(write(graph, fmt.value, folder / "csv"), folder / filename)
        else:
            path = write(graph, fmt.value, folder / filename)[0]
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(path, media_type=media_type, filename=filename,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


def _zip(files: list[FilePath], target: FilePath) -> FilePath:
    """The files in one zip archive at ``target``."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.write(file, arcname=file.name)
    return target
