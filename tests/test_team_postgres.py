"""The team's dictionary, dismissals and switches on a real PostgreSQL server (see test_store_postgres.py)."""
from __future__ import annotations

import pytest
from test_team import (  # noqa: F401  (collected again, on PostgreSQL)
    store,
    test_a_dismissed_spelling_is_its_authors_own_word_and_other_dismissals_are_only_recorded,
    test_a_process_sees_another_process_change_within_its_refresh_period,
    test_dictionary_words_are_kept_once_in_any_case_and_every_change_moves_the_counter,
    test_only_known_rules_can_be_switched,
    test_switches_lay_over_the_config_file_and_null_returns_to_it,
)


@pytest.fixture
def db_url(postgres_url) -> str:
    return postgres_url
