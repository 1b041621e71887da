"""Writes of the matching engine: ``runs`` (rescoring, full recomputes in shards, recovery) and
``introductions`` (feedback, introductions)."""

from matching.services.introductions import (
    INTRODUCTION_TRANSITIONS,
    MEETING_OUTCOME_STAGES,
    STALE_AFTER_DAYS,
    interest_clear,
    interest_set,
    introduction_from_meeting,
    introduction_note_set,
    introduction_open_for_mutual,
    introduction_path,
    introduction_remind_stale,
    introduction_request,
    introduction_set_stage,
)
from matching.services.reports import (
    introduction_advance,
    introduction_report_save,
    introduction_reportable,
)
from matching.services.runs import (
    SHARD_SIZE,
    match_company,
    rescoring_request,
    rescoring_run,
    rescorings_requeue_stalled,
    run_full_inline,
    run_shard,
    run_start_full,
    runs_requeue_stalled,
    shard_threads,
    weights_current,
)

__all__ = [
    "INTRODUCTION_TRANSITIONS", "MEETING_OUTCOME_STAGES", "SHARD_SIZE", "STALE_AFTER_DAYS", "interest_clear",
    "interest_set",
    "introduction_advance", "introduction_from_meeting", "introduction_note_set",
    "introduction_open_for_mutual", "introduction_path",
    "introduction_remind_stale", "introduction_report_save", "introduction_reportable",
    "introduction_request", "introduction_set_stage", "match_company", "rescoring_request", "rescoring_run",
    "rescorings_requeue_stalled", "run_full_inline", "run_shard", "run_start_full", "runs_requeue_stalled",
    "shard_threads", "weights_current",
]  # fmt: skip
