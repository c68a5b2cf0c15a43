"""Helpers of the API tests: an app on a real SQLite file in tmp_path, with a few tokens."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from mail_lint.api.app import create_app
from mail_lint.config import validate
from mail_lint.store import Store
from mail_lint.tokens import create_token

MANAGER = "petr@alfa-solar.ru"
OTHER_MANAGER = "olga@alfa-solar.ru"
HEAD = "head@alfa-solar.ru"

RU_DRAFT = {
    "subject": "Документы",
    "from": MANAGER,
    "to": ["Иван Петров <ivan@client.ru>"],
    "text": "Добрый день!\n\nНаправляю КП во вложении. Пришлите, пожалуйста, реквизиты.\n\nПётр Сидоров\nАльфа Солар",
    "date": "2025-12-03T10:15:00+03:00",
}


@dataclass
class ApiEnv:
    client: TestClient
    store: Store
    db_path: Path
    manager: str
    other_manager: str
    head: str

    @staticmethod
    def auth(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}


def make_config(db_path: Path, **api):
    """Grammar is off: these tests are about the service, and must not wait for LanguageTool."""
    return validate({"store": {"url": f"sqlite:///{db_path}"}, "api": api, "rules": {"disable": ["grammar"]}})


def open_env(tmp_path: Path, **api) -> tuple[ApiEnv, TestClient]:
    """Returns the env and the client to enter (`with client:` runs the app's startup and shutdown)."""
    db_path = tmp_path / "verdicts.db"
    config = make_config(db_path, **api)
    store = Store.open(config=config)
    tokens = [create_token(store, role, email) for role, email in
              (("manager", MANAGER), ("manager", OTHER_MANAGER), ("head", HEAD))]
    client = TestClient(create_app(config, store), raise_server_exceptions=False)
    return ApiEnv(client, store, db_path, *tokens), client
