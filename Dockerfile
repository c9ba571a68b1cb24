# The Liên Kết API, for production next to Neo4j (see docker-compose.yml and docs/production.md).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# The locked dependencies first (their own layer, rebuilt only when the lock changes): the versions
# the tests ran against, checked by hash. Then the package itself, built with the locked setuptools.
# .dockerignore keeps tests, data and the venv out.
COPY requirements/runtime.lock ./requirements/
RUN pip install --no-deps --require-hashes -r requirements/runtime.lock
COPY pyproject.toml README.md ./
COPY graph ./graph
COPY ingest ./ingest
COPY api ./api
COPY visualize ./visualize
COPY lienket ./lienket
RUN pip install --no-deps --no-build-isolation . && rm -rf /app/build

# Run as an unprivileged user; the embedded store (if ever used) lives in /data.
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin lienket \
    && mkdir -p /data && chown lienket /data
USER lienket
ENV LIENKET_DB=/data

EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/stats', timeout=4)"]

CMD ["lienket", "serve", "--host", "0.0.0.0", "--port", "8000"]
