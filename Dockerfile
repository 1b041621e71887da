# Production image: gunicorn behind WhiteNoise; the same image runs the Celery worker and beat.
# postgresql-client (15 on bookworm) gives `manage.py backup`/`restore` their pg_dump and pg_restore; the
# compose file's PostgreSQL is 15 to match. var/media and var/private are the volumes' mount points.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 curl libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    postgresql-client \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 1000 portal

WORKDIR /app
COPY . .
# Editable, so the code runs from /app (templates, static and locale are found beside it).
RUN pip install -e .
RUN python bin/compile_messages.py \
 && DEBUG=0 SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only-0123456789 \
    ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build CELERY_BROKER_URL=redis://localhost \
    python manage.py collectstatic --noinput \
 && mkdir -p var/media var/private && chown -R portal:portal var

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
CMD ["gunicorn", "portal.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
