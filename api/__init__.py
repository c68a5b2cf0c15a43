"""The check service: FastAPI app, routes, schemas, auth and the paste-a-draft page."""
