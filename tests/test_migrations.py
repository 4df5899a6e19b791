"""The Alembic history builds exactly the schema the models describe, on both databases."""

from alembic import command
from sqlalchemy import inspect

from dashboard.services.db import get_engine
from dashboard.services.migrations import alembic_config, migrate


def test_migrations_match_the_models_and_run_twice(db_url):
    # db_url is already migrated from the template; running again must be a no-op
    migrate(db_url)
    command.check(alembic_config(db_url))  # raises if models and migrations differ
    checks = {c["name"] for c in inspect(get_engine(db_url)).get_check_constraints("stock")}
    assert "ck_stock_no_oversell" in checks


def test_downgrade_to_nothing_and_back(db_url):
    command.downgrade(alembic_config(db_url), "base")
    assert "order" not in inspect(get_engine(db_url)).get_table_names()
    migrate(db_url)
    assert "order" in inspect(get_engine(db_url)).get_table_names()
