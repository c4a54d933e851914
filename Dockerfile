# One image for all six services and the web front end; TFT_SERVICE picks the service, the
# web front end runs `python -m web serve` (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 TFT_HTTP_HOST=0.0.0.0
WORKDIR /app
# Dependencies first, so a code change does not re-install them: the exact versions of the
# runtime lock (`make lock` writes it), hash-checked.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml ./
COPY shared ./shared
COPY services ./services
COPY ops ./ops
COPY web ./web
RUN pip install --no-deps . && useradd --system --uid 10001 tft
USER tft
# Migrations first: they are idempotent, and a service must not serve an old schema.
CMD ["sh", "-c", "python -m services.${TFT_SERVICE:?set TFT_SERVICE} migrate && exec python -m services.${TFT_SERVICE} serve"]
