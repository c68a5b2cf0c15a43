"""The digest's SQL on PostgreSQL: every test of tests/test_digest.py, run again with a store on a real
PostgreSQL server (importing them makes pytest collect them here, with this module's `store`)."""
from __future__ import annotations

import pytest

import test_digest
from mail_lint.store import Store

globals().update({name: getattr(test_digest, name) for name in dir(test_digest) if name.startswith("test_")})


@pytest.fixture
def store(postgres_url):
    with Store.open(postgres_url) as opened:
        yield opened
