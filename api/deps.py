"""FastAPI dependencies: the store (one per process) and write authorisation."""

from __future__ import annotations

from functools import lru_cache

from graph.store import GraphStore, open_store

from api.settings import get_settings


@lru_cache(maxsize=1)
def _store() -> GraphStore:
    settings = get_settings()
    return open_store(settings.lienket_backend, settings.lienket_db)


def get_store() -> GraphStore:
    """The process's store; routes receive it with ``Depends(get_store)``."""
    return _store()
