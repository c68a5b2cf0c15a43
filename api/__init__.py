"""The FastAPI check service."""
