"""The Liên Kết HTTP API: thin routers per resource over the store."""

from __future__ import annotations

from fastapi import FastAPI

API_DESCRIPTION = """Query the Vietnamese inter-locality cooperation graph: localities, agencies,
people, agreements, plans and their tasks. Every fact carries its `sources` (document and quote).
Text parameters are matched without diacritics and with abbreviations expanded (TP.HCM, Sở NN&PTNT)."""


def create_app() -> FastAPI:
    """Build the application (routers are registered here, one module per resource)."""
    app = FastAPI(title="Liên Kết", version="0.1.0", description=API_DESCRIPTION)
    return app


app = create_app()
