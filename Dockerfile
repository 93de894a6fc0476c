# giveback's image. The package is built as a wheel and installed into a virtual environment
# exactly as README "Operating giveback" installs it; tests/packaging/test_image.py runs these
# steps for real (the RUN lines must stay the README's lines, word for word).
#
#   docker build -t giveback .
#   docker run --env-file .env -v giveback-data:/data -p 3000:3000 giveback

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
RUN python -m pip wheel --no-deps --wheel-dir dist .

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY --from=build /src/dist ./dist
RUN python -m venv /opt/giveback
RUN /opt/giveback/bin/python -m pip install dist/giveback-*.whl
# An unprivileged user (numeric, so an orchestrator can tell it is not root) owning only /data.
RUN useradd --uid 10001 --user-group --no-create-home --home-dir /data --shell /usr/sbin/nologin giveback \
    && mkdir /data && chown giveback:giveback /data
USER 10001:10001
WORKDIR /data
VOLUME /data
# SQLite on the volume unless GIVEBACK_DATABASE names PostgreSQL; the probes (and /metrics,
# when GIVEBACK_METRICS is on) on a port of their own, in HTTP mode and Socket Mode alike.
ENV PATH=/opt/giveback/bin:$PATH \
    GIVEBACK_DATABASE=/data/giveback.db \
    GIVEBACK_HEALTH_PORT=8080 \
    PORT=3000
EXPOSE 3000 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['GIVEBACK_HEALTH_PORT'], timeout=4)"
CMD ["giveback", "run"]
