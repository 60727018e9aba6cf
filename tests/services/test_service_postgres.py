"""The service tests that lean most on the database, run again on PostgreSQL.

Each test gets a schema of its own (see conftest.engine), dropped afterwards, so reruns and
parallel runs never collide. Skipped when PostgreSQL is unreachable, except under CI (the CI
variable set), where CI starts PostgreSQL and an unreachable server is a failure.
"""
import pytest

# Imported test functions (and the fixture they use) are collected again here, under this
# module's ``backend``: the same assertions, on the other database.
from test_service_editor import (  # noqa: F401
    test_a_key_question_is_removed_but_not_the_one_on_air,
    test_a_segment_to_come_is_removed_and_its_takeaways_keep_their_text,
    test_fewer_sub_questions_take_the_projector_off_a_prompt_that_went,
    test_removing_a_panelist_sends_their_questions_to_everyone,
)
from test_service_events import (  # noqa: F401
    test_get_event_ignores_case_and_spaces,
    test_load_event_twice_returns_the_stored_event_without_duplicating,
)
from test_service_poll_kinds import (  # noqa: F401
    rating_poll,
    test_a_first_ballot_racing_a_committed_one_updates_it,
    test_reset_needs_confirmation_then_deletes_every_ballot,
    test_tally_through_changes_and_withdrawals,
    test_two_concurrent_first_ballots_from_one_device_count_once,
)
from test_service_polls import test_changing_a_ballot_leaves_other_devices_ballots_alone  # noqa: F401
from test_service_questions import (  # noqa: F401
    test_an_upvote_refused_by_the_rate_limit_stores_nothing_and_a_replay_is_no_change,
    test_resubmitting_the_same_client_id_returns_the_first_question,
    test_upvote_is_one_per_device_and_can_be_withdrawn,
)
from test_service_run_of_show import (  # noqa: F401
    test_previous_comes_back_paused_with_the_time_it_had_left,
    test_stored_instants_rebuild_the_same_run_of_show_in_a_new_session,
)
from test_service_views import (  # noqa: F401
    busy,
    test_mine_is_the_devices_own_questions_votes_and_ballots,
    test_mine_of_many_devices_read_in_chunks_equals_each_read_alone,
    test_questions_each_role_sees,
)


@pytest.fixture
def backend() -> str:
    """Run this module's tests on PostgreSQL."""
    return "postgresql"


def test_this_module_really_runs_on_postgresql_in_its_own_schema(engine):
    with engine.connect() as conn:
        schema = conn.exec_driver_sql("SELECT current_schema()").scalar()
    assert (engine.dialect.name, schema.startswith("forum_test_")) == ("postgresql", True)
