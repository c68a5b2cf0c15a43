"""A throwaway PostgreSQL server on loopback for the store tests (Debian's `postgresql` package).

initdb and the server run as the `postgres` user in a temp folder of their own; the server listens on
127.0.0.1 and a free port only, with trust auth for local connections.
"""
from __future__ import annotations

import glob
import itertools
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from support.mailservers import free_port, wait_for_port


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@dataclass
class Postgres:
    port: int = field(default_factory=free_port)
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mail-lint-pg-")))

    @staticmethod
    def available() -> bool:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return False
        return bool(_bin("initdb") and _bin("pg_ctl"))

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *cmd: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> "Postgres":
        self.root.chmod(0o755)
        data = self.root / "data"
        shutil.chown(self.root, "postgres", "postgres")
        self._as_postgres(_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        self._as_postgres(_bin("pg_ctl"), "-D", str(data), "-l", str(self.root / "log"), "-w", "-o",
                          f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.root} "
                          "-c fsync=off", "start")
        wait_for_port(self.port)
        return self

    def remove(self) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", _bin("pg_ctl"), "-D", str(self.root / "data"), "-m", "fast",
                        "stop"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.root, ignore_errors=True)


_databases = itertools.count()


def create_database(server: Postgres) -> str:
    """A new empty database on `server`; returns its URL."""
    from sqlalchemy import create_engine, text
    name = f"t{next(_databases)}"
    admin = create_engine(server.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.url.rsplit("/", 1)[0] + f"/{name}"
