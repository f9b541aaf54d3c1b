"""Under mutation testing only (`make mutation`, scripts/mutation.py; the tests run from a
copy in `.mutation/tabular/mutants/`): each mutant is a fresh pytest session over the tests
that reach the mutated function, so what a session pays once is paid per mutant."""

from __future__ import annotations

from pathlib import Path

import pytest

if "mutants" in Path(__file__).parts:

    @pytest.fixture(scope="session")
    def django_db_modify_db_settings() -> None:
        # Building the test database (migrations and reference regions, about 25 s) for
        # every mutant reached by the one database test would cost hours. The target's
        # SQLite test database is built once in its staging directory and kept; every test
        # still runs in its own rolled-back transaction, as in a normal run. PostgreSQL runs
        # (DATABASE_URL) keep pytest-django's default.
        from django.conf import settings

        database = settings.DATABASES["default"]
        if database["ENGINE"] == "django.db.backends.sqlite3":
            stage = Path(__file__).resolve().parents[3]  # .mutation/<target>/
            database.setdefault("TEST", {})["NAME"] = str(stage / "test-db.sqlite3")

    @pytest.fixture(scope="session")
    def django_db_keepdb(django_db_modify_db_settings: None) -> bool:
        from django.conf import settings

        return bool(settings.DATABASES["default"].get("TEST", {}).get("NAME"))

    def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
        # mutmut stops at the first failing test (-x): the quick tests go first, the
        # property tests (120 generated workbooks; 25 imports into the database) last. Only
        # the order changes: a surviving mutant still runs every test that reaches it.
        def cost(item: pytest.Item) -> tuple[bool, bool]:
            function = getattr(item, "obj", None)
            generated = bool(getattr(function, "is_hypothesis_test", False))
            return generated, item.get_closest_marker("django_db") is not None

        items.sort(key=cost)
