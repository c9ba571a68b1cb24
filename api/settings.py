"""API configuration, read from the environment (and an optional .env file).

The Neo4j connection itself (``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``,
``NEO4J_DATABASE``) is read by the Neo4j store when ``LIENKET_BACKEND=neo4j``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the API needs to know, from ``LIENKET_*`` variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    lienket_backend: str = Field("embedded", description="embedded or neo4j")
    lienket_db: Path = Field(Path("data"), description="folder of the embedded store")
    lienket_api_key_hashes: str = Field(
        "", description="comma-separated SHA-256 hex digests of the API keys allowed to write")
    lienket_max_upload_bytes: int = Field(5_000_000, description="largest document accepted by upload")
    lienket_max_upload_files: int = Field(20, description="most documents in one upload")
    lienket_cypher_timeout_s: float = Field(5.0, description="server-side timeout of POST /cypher")
    lienket_cypher_max_rows: int = Field(1000, description="most rows POST /cypher returns")
    lienket_max_busy_requests: int = Field(
        4, ge=1, description="expensive requests served at once; more wait a second, then get 503")
    lienket_request_deadline_s: float = Field(
        20.0, gt=0, description="an expensive request not answered by then gets 503")

    def api_key_hashes(self) -> list[str]:
        """The configured key digests, lower-cased, blanks dropped."""
        return [h.strip().lower() for h in self.lienket_api_key_hashes.split(",") if h.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (read once); tests override this dependency."""
    return Settings()
