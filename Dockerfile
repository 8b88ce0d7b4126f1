# Production image: gunicorn serves Django, whitenoise serves the static files.
FROM python:3.12-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# Pango and fonts for WeasyPrint's PDFs; libpq is not needed (psycopg[binary]).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
       libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && pip install --no-cache-dir uv

WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .

# collectstatic needs settings but no database or secret of the real deployment.
RUN SECRET_KEY=build-only STATICFILES_BACKEND=whitenoise.storage.CompressedManifestStaticFilesStorage \
    STATIC_ROOT=/app/staticfiles python manage.py collectstatic --no-input -v0

RUN useradd --system --home /app tranquil && mkdir -p /app/var && chown -R tranquil /app/var
USER tranquil
EXPOSE 8000
CMD ["gunicorn", "clinic.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
