"""``claimlint serve``: a local web page and HTTP API for checking copy (FastAPI + uvicorn)."""
