"""API configuration, read from the environment (and an optional .env file)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything the API needs to know, from ``LIENKET_*`` and ``NEO4J_*`` variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    lienket_backend: str = Field("embedded", description="embedded or neo4j")
    lienket_db: Path = Field(Path("data"), description="folder of the embedded store")
    lienket_api_key_hashes: str = Field(
        "", description="comma-separated SHA-256 hex digests of the API keys allowed to write")
    lienket_max_upload_bytes: int = Field(5_000_000, description="largest document accepted by upload")
    lienket_cypher_timeout_s: float = Field(5.0, description="server-side timeout of POST /cypher")
    lienket_cypher_max_rows: int = Field(1000, description="most rows POST /cypher returns")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
