"""The `fulfil` command line, run as a real process against a throwaway SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import func, select

from dashboard.domain.orders import Order
from dashboard.domain.stock import Product
from dashboard.services import accounts
from dashboard.services.db import read_session, write_session

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery"  # noqa: S105 (test account)


def fulfil(url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli", *args], input=stdin, capture_output=True,
        text=True, env=env, cwd=ROOT, timeout=180,
    )


@pytest.fixture
def fresh_url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_a_new_install_migrates_and_gets_its_first_owner(fresh_url):
    # given a database nobody has touched
    migrated = fulfil(fresh_url, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "newest schema" in migrated.stdout
    # when the owner is created with a password piped in
    made = fulfil(fresh_url, "create-user", "Grace@Example.com", "--role", "owner",
                  "--name", "Grace", "--password-stdin", stdin=PASSWORD + "\n")
    # then they can sign in with it, and the password was never echoed
    assert made.returncode == 0, made.stderr
    assert PASSWORD not in made.stdout + made.stderr
    with write_session(fresh_url) as s:
        signed_in = accounts.authenticate(s, email="grace@example.com", password=PASSWORD)
    assert (signed_in.role.value, signed_in.name) == ("owner", "Grace")


def test_bad_input_is_refused_with_exit_2_and_no_traceback(sqlite_url):
    short = fulfil(sqlite_url, "create-user", "sam@example.com", "--role", "picker",
                   "--password-stdin", stdin="short\n")
    assert short.returncode == 2
    assert "error: Bad password." in short.stderr and "Traceback" not in short.stderr
    ok = fulfil(sqlite_url, "create-user", "sam@example.com", "--role", "picker",
                "--password-stdin", stdin="long enough password\n")
    assert ok.returncode == 0, ok.stderr
    again = fulfil(sqlite_url, "create-user", "sam@example.com", "--role", "staff",
                   "--password-stdin", stdin="another long password\n")
    assert again.returncode == 2 and "already has an account" in again.stderr
    bad_role = fulfil(sqlite_url, "create-user", "x@example.com", "--role", "boss")
    assert bad_role.returncode == 2 and "Traceback" not in bad_role.stderr
    with read_session(sqlite_url) as s:
        assert accounts.verify_api_key(s, "fk_nothing") is None  # and no default key exists


def test_an_api_key_is_printed_once_and_is_accepted(sqlite_url):
    made = fulfil(sqlite_url, "create-api-key", "Shopfront", "--scopes", "orders:read",
                  "orders:write")
    assert made.returncode == 0, made.stderr
    raw = made.stdout.strip()
    assert raw.startswith(accounts.API_KEY_PREFIX) and "\n" not in raw
    assert "will not be shown again" in made.stderr
    with read_session(sqlite_url) as s:
        client = accounts.verify_api_key(s, raw)
    assert client is not None and client.name == "Shopfront"
    assert client.scopes == {"orders:read", "orders:write"}


def test_seed_demo_fills_an_empty_shop_once(sqlite_url):
    seeded = fulfil(sqlite_url, "seed-demo", "--orders", "40", "--seed", "3")
    assert seeded.returncode == 0, seeded.stderr
    assert "40 orders" in seeded.stdout and " s." in seeded.stdout
    again = fulfil(sqlite_url, "seed-demo", "--if-empty")
    assert again.returncode == 0, again.stderr
    assert "no demo data added" in again.stdout
    with read_session(sqlite_url) as s:
        assert s.exec(select(func.count()).select_from(Order)).one() == 40


def test_make_run_seed_leaves_a_database_of_your_own_empty(sqlite_url):
    # given an empty, migrated database that is not the embedded SQLite file (a new
    # production database, say), when `make run`'s seed step runs against it
    seeded = fulfil(sqlite_url, "seed-demo", "--if-empty", "--embedded-only", "--orders", "5")
    # then it says why and adds nothing at all
    assert seeded.returncode == 0, seeded.stderr
    assert "not the embedded SQLite file" in seeded.stdout
    with read_session(sqlite_url) as s:
        assert s.exec(select(func.count()).select_from(Product)).one() == 0
        assert s.exec(select(func.count()).select_from(Order)).one() == 0


def test_only_the_sqlite_file_under_data_counts_as_embedded(tmp_path, monkeypatch):
    from dashboard.cli import is_embedded_database
    from dashboard.config import PROJECT_ROOT

    assert is_embedded_database(f"sqlite:///{PROJECT_ROOT / 'data' / 'dashboard.db'}")
    monkeypatch.chdir(PROJECT_ROOT)
    assert is_embedded_database("sqlite:///data/dashboard.db")  # the README's relative form
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert is_embedded_database(None)
    assert not is_embedded_database(f"sqlite:///{tmp_path / 'dashboard.db'}")
    assert not is_embedded_database("sqlite://")
    assert not is_embedded_database("postgresql://shop:secret@db.internal/fulfil")


def test_low_stock_email_from_the_command_line_queues_one_a_day(sqlite_url):
    from fulfil_testkit.factories import add_product

    add_product(sqlite_url, "MUG", on_hand=2)  # at or below the shop's 5
    first = fulfil(sqlite_url, "low-stock-email")
    assert first.returncode == 0, first.stderr
    assert "queued for 1 products: MUG" in first.stdout
    again = fulfil(sqlite_url, "low-stock-email")
    assert "No low-stock email" in again.stdout
