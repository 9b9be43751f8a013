"""Registers to test against: SQLite always, and a real PostgreSQL when its binaries are installed.

The PostgreSQL cluster is a throwaway one, started once per test session in a temporary
folder, listening only on a socket there (no TCP port, no Docker); each test gets a
database of its own. Debian's server refuses to run as root, so as root the cluster runs
as the ``postgres`` user. `.ci/run` installs the ``postgresql`` package; nothing is
started by hand.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_BIN = Path(os.environ.get("PLANDOC_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
_databases = itertools.count()


def _as_cluster_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PostgresCluster:
    """A running throwaway cluster: its socket folder and a way to make databases."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"

    def run(self, *command: str) -> None:
        subprocess.run(_as_cluster_owner(list(command)), check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> None:
        self.run(str(POSTGRES_BIN / "initdb"), "-D", str(self.data), "--auth=trust", "-U", "postgres", "-E", "UTF8")
        options = f"-k {self.folder} -c listen_addresses='' -c fsync=off -c max_connections=50"
        self.run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.folder / "log"),
                 "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self.run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def new_database(self) -> str:
        """A fresh, empty database; its URL as a user would give it."""
        import psycopg

        name = f"register_{os.getpid()}_{next(_databases)}"
        with psycopg.connect(host=str(self.folder), user="postgres", dbname="postgres", autocommit=True) as server:
            server.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@/{name}?host={self.folder}"


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    if not (POSTGRES_BIN / "pg_ctl").exists():
        pytest.skip(f"PostgreSQL is not installed ({POSTGRES_BIN}/pg_ctl missing; .ci/run installs postgresql)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root needs runuser to start PostgreSQL as the postgres user")
    folder = Path(tempfile.mkdtemp(prefix="plandoc-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    cluster = PostgresCluster(folder)
    try:
        cluster.start()
    except subprocess.CalledProcessError as error:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"could not start a throwaway PostgreSQL: {error.stderr or error}")
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def register_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's register lives: an SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "register.sqlite")
    cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
    return cluster.new_database()
