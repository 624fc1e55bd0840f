FROM python:3.12-slim

WORKDIR /app
COPY pyproject.toml pyproject.toml
COPY src/ src/
COPY configs/ configs/
RUN pip install --no-cache-dir -e .

ENTRYPOINT ["python", "-m", "petclassifier.train"]
