"""Every setting of Liên Kết, in one place: the ``LIENKET_*`` and ``NEO4J_*`` variables of the
environment (and of an optional ``.env`` file; the environment wins). They are read here and
nowhere else: the command line, the API and the stores receive a ``Settings``.

``Settings`` is a plain pydantic model filled from the variables named like its fields (upper
case). It is not a pydantic-settings class because importing that library alone took longer
than answering a question from the command line (``lienket ask`` must start in under 0.5 s).
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from graph.store import GraphStore

ENV_FILE = Path(".env")


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a dotenv file (comments, blank lines and ``export`` ignored; quotes stripped)."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().removeprefix("export ").strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


class Settings(BaseModel):
    """Everything Liên Kết can be told, from ``LIENKET_*`` and ``NEO4J_*`` variables."""

    model_config = ConfigDict(extra="ignore")

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
    neo4j_uri: str | None = Field(None, description="bolt://, bolt+s://, neo4j:// or neo4j+s:// (a cluster or Aura)")
    neo4j_user: str = Field("neo4j", description="Neo4j user")
    neo4j_password: str = Field("", description="Neo4j password")
    neo4j_database: str = Field("neo4j", description="Neo4j database")

    @classmethod
    def from_environment(cls, env_file: Path | None = ENV_FILE) -> Settings:
        """Settings from ``env_file`` (when it exists) overridden by the environment; empty values are unset."""
        found = read_env_file(env_file) if env_file is not None and env_file.is_file() else {}
        found.update(os.environ)
        fields = set(cls.model_fields)
        return cls(**{name.lower(): value for name, value in found.items() if name.lower() in fields and value})

    def api_key_hashes(self) -> list[str]:
        """The configured key digests, lower-cased, blanks dropped."""
        return [h.strip().lower() for h in self.lienket_api_key_hashes.split(",") if h.strip()]

    def open_store(self) -> GraphStore:
        """The configured store: the embedded one in ``lienket_db``, or Neo4j at ``neo4j_uri``."""
        from graph.backends import open_store

        return open_store(self.lienket_backend, self.lienket_db, neo4j_uri=self.neo4j_uri, neo4j_user=self.neo4j_user,
                          neo4j_password=self.neo4j_password, neo4j_database=self.neo4j_database)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings (read once); tests override this dependency."""
    return Settings.from_environment()
