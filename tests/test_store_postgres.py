"""The same store code on PostgreSQL through a URL: the backend-agnostic store tests, run again on a
real PostgreSQL server (Debian's `postgresql`, started by the tests on loopback).

Importing the tests below makes pytest run them here too, with this module's `db_url` fixture.
"""
from __future__ import annotations

import pytest
from test_store import (  # noqa: F401  (collected again, on PostgreSQL)
    seeded,
    store,
    test_api_verdicts_move_into_their_senders_keeping_on_upgrade,
    test_a_bad_source_is_refused,
    test_dates_past_the_supported_years_are_clamped_on_save,
    test_drafts_without_message_id_dedupe,
    test_message_id_spelling_does_not_duplicate,
    test_record_skipped,
    test_resaving_a_message_id_keeps_one_message_and_replaces_the_verdict,
    test_english_round_trip,
    test_list_by_rule_name_or_prefix,
    test_list_by_sender_is_case_insensitive,
    test_list_is_newest_first_with_summary_fields,
    test_list_limit_and_offset,
    test_list_min_score_and_source,
    test_list_since_inclusive_until_exclusive_across_timezones,
    test_message_model_directly,
    test_models_match_migrations,
    test_owners_never_replace_each_others_verdicts,
    test_reopening_is_a_no_op_and_keeps_data,
    test_round_trip_keeps_russian_text_and_findings,
    test_text_is_cut_to_its_columns_and_nul_bytes_dropped,
)



@pytest.fixture
def db_url(postgres_url) -> str:
    return postgres_url


def test_processes_opening_a_new_database_together_all_succeed(db_url):
    """Migrations from several processes at once queue on an advisory lock instead of colliding."""
    import subprocess
    import sys
    code = "import sys; from mail_lint.store import Store; Store.open(sys.argv[1]).close()"
    procs = [subprocess.Popen([sys.executable, "-c", code, db_url], stderr=subprocess.PIPE) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], errors
