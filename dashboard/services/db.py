"""Engines and sessions for SQLite (the embedded default) and PostgreSQL.

SQLite: WAL, a busy timeout, foreign keys on, and write transactions opened with
BEGIN IMMEDIATE so a read-then-write never fails with "database is locked" half-way
(Python's sqlite3 driver would otherwise start the transaction lazily and deferred).
Read sessions use a plain deferred BEGIN so readers never queue behind writers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from threading import Lock, RLock
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session

from dashboard import config

_BEGIN_OPTION = "fulfil_sqlite_begin"
_DEPTH = "fulfil_atomic_depth"  # session.info: how many atomic services are running
P = ParamSpec("P")
R = TypeVar("R")

_engines: dict[str, Engine] = {}
_write_locks: dict[str, RLock] = {}
_lock = Lock()


def database_url() -> str:
    return config.database().url


def _sqlite_engine(url: str) -> Engine:
    path = sa.engine.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=20, max_overflow=20
    )

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def get_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            if url.startswith("sqlite"):
                engine = _sqlite_engine(url)
            else:
                engine = sa.create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def _write_bind(engine: Engine):
    if engine.dialect.name == "sqlite":
        return engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
    return engine


@contextmanager
def _one_writer_at_a_time(engine: Engine) -> Iterator[None]:
    """On SQLite, queue this process's writers on a lock before BEGIN IMMEDIATE.

    SQLite admits one writer; the others wait in its busy handler, which sleeps in
    growing steps (up to 100 ms) and so leaves the database idle while threads sleep.
    A lock hands the turn over at once. Other processes still wait in the busy handler.
    """
    if engine.dialect.name != "sqlite":
        yield
        return
    with _lock:
        lock = _write_locks.setdefault(str(engine.url), RLock())
    with lock:
        yield


@contextmanager
def write_session(url: str | None = None) -> Iterator[Session]:
    """A session for one write transaction: commits on success, rolls back on error."""
    engine = get_engine(url)
    with _one_writer_at_a_time(engine):
        session = Session(bind=_write_bind(engine), expire_on_commit=False)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()


@contextmanager
def write_connection(url: str | None = None) -> Iterator[sa.Connection]:
    """A Core connection for one write transaction, under the same rules as write_session
    (BEGIN IMMEDIATE and one writer at a time on SQLite). The caller begins and commits."""
    engine = get_engine(url)
    with _one_writer_at_a_time(engine), _write_bind(engine).connect() as connection:
        yield connection


@contextmanager
def read_session(url: str | None = None) -> Iterator[Session]:
    """A session for reads; never holds SQLite's write lock."""
    session = Session(bind=get_engine(url), expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()


@contextmanager
def read_connection(url: str | None = None) -> Iterator[sa.Connection]:
    """A bare Core connection for one or two quick reads (no ORM session to set up)."""
    with get_engine(url).connect() as connection:
        yield connection


def is_postgres(db: Session | sa.Connection | Engine) -> bool:
    """Whether a session, connection or engine talks to PostgreSQL (else SQLite)."""
    bind = db.get_bind() if isinstance(db, Session) else db
    return bind.dialect.name == "postgresql"


def atomic(service: Callable[P, R]) -> Callable[P, R]:
    """One transaction for a service whose first argument is the session: commits once
    when it returns, rolls the whole session back on any error, so a refusal leaves
    nothing behind. A service called by another joins the caller's transaction: only the
    outermost commits."""

    @functools.wraps(service)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        session: Session = args[0] if args else kwargs["session"]
        depth = session.info.get(_DEPTH, 0)
        session.info[_DEPTH] = depth + 1
        try:
            result = service(*args, **kwargs)
            if depth == 0:
                session.commit()
            return result
        except BaseException:
            session.rollback()
            raise
        finally:
            session.info[_DEPTH] = depth

    return wrapper
