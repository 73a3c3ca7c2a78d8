from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from helpdesk.env import env_bool, env_database, env_int, env_list, env_str


def test_it_parses_a_postgres_url() -> None:
    config = env_database(
        "DATABASE_URL", "", environ={"DATABASE_URL": "postgres://u:p@db.internal:5433/nidaa"}
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "nidaa")


def test_it_defaults_to_sqlite() -> None:
    config = env_database("DATABASE_URL", "sqlite:////tmp/x.sqlite3", environ={})
    assert config["ENGINE"] == "django.db.backends.sqlite3"


@pytest.mark.parametrize(
    "url", ["not a url", "mysql://root@localhost/db", "postgres://localhost", "redis://x/1"]
)
def test_it_refuses_a_bad_database_url_with_the_variable_named(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "", environ={"DATABASE_URL": url})


def test_it_refuses_a_non_boolean() -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG='maybe' is not a boolean"):
        env_bool("DEBUG", False, environ={"DEBUG": "maybe"})


def test_it_reads_booleans() -> None:
    assert env_bool("X", False, environ={"X": "Yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True


def test_it_refuses_a_number_out_of_range() -> None:
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("PORT", 1, minimum=1, environ={"PORT": "0"})
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("PORT", 1, environ={"PORT": "eighty"})


def test_it_requires_a_value_without_a_default() -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        env_str("SECRET_KEY", None, environ={})


def test_it_splits_lists() -> None:
    assert env_list("H", [], environ={"H": "a.om, b.om ,"}) == ["a.om", "b.om"]
