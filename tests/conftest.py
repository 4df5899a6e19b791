"""Fixtures: a fresh, migrated database per test on SQLite and on PostgreSQL.

Each database is a copy of one migrated template (a file copy on SQLite,
CREATE DATABASE ... TEMPLATE on PostgreSQL), so every test starts from the real Alembic
schema without paying for the migration each time.
"""

from __future__ import annotations

import itertools
import shutil

import pytest

from dashboard.services.db import dispose_engines
from dashboard.services.migrations import migrate
from fulfil_testkit.pgcluster import PgCluster

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = PgCluster().start()
    cluster.sql("CREATE DATABASE template_fulfil")
    migrate(cluster.url("template_fulfil"))
    dispose_engines()  # no open connection may stay on a template
    yield cluster
    dispose_engines()
    cluster.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    migrate(f"sqlite:///{path}")
    dispose_engines()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_database(request, tmp_path):
    """A factory of fresh migrated database URLs, on SQLite and then on PostgreSQL."""
    made: list[str] = []

    def make() -> str:
        name = f"t{next(_counter)}"
        if request.param == "sqlite":
            path = tmp_path / f"{name}.db"
            shutil.copy(request.getfixturevalue("sqlite_template"), path)
            return f"sqlite:///{path}"
        cluster = request.getfixturevalue("pg_cluster")
        cluster.sql(f"CREATE DATABASE {name} TEMPLATE template_fulfil")
        made.append(name)
        return cluster.url(name)

    yield make
    dispose_engines()
    for name in made:
        request.getfixturevalue("pg_cluster").sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def db_url(new_database):
    """A fresh migrated database URL: each test runs once on SQLite, once on PostgreSQL."""
    return new_database()


@pytest.fixture
def postgres_url(pg_cluster):
    """A fresh migrated PostgreSQL database, for what only PostgreSQL can show (a test
    using it is marked `postgres`)."""
    name = f"t{next(_counter)}"
    pg_cluster.sql(f"CREATE DATABASE {name} TEMPLATE template_fulfil")
    yield pg_cluster.url(name)
    dispose_engines()
    pg_cluster.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def sqlite_url(tmp_path, sqlite_template):
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    yield f"sqlite:///{path}"
    dispose_engines()
