FROM python:3.12-slim

WORKDIR /app
COPY pyproject.toml pyproject.toml
COPY src/ src/
RUN pip install --no-cache-dir -e .

CMD exec uvicorn petclassifier.api:app --host 0.0.0.0 --port $PORT
