"""The timeline: the ONLY writer of TimelineEvent, and its verifier.

Each subject — a case, a complaint before filing, a staff account, a region's administration — has its
own SHA-256 hash chain: hash = sha256(prev_hash + canonical_json(event)). Call record() inside the
service's transaction; it locks the subject row so concurrent appends serialise. record_many() writes
many events (the deadline sweep's) in a fixed number of statements. Both keep each chain's head
(count, last hash) in the same transaction; timeline_checkpoint_take() signs every head with a key
from the environment, and verify() compares the chains with both. See docs/timeline.md.
"""

from .anchor import (
    CheckpointRefused,
    checkpoint_file_breaks,
    checkpoint_file_check,
    checkpoint_ok,
    heads_backfill,
    timeline_checkpoint_take,
)
from .breaks import Break
from .chain import GENESIS, Entry, compute_hash, normalise, record, record_many, subject_field, subject_models
from .verify import Verification, _slices, chain_ok, for_case, verify, verify_slices

__all__ = [
    "GENESIS",
    "Break",
    "CheckpointRefused",
    "Entry",
    "Verification",
    "_slices",
    "chain_ok",
    "checkpoint_file_breaks",
    "checkpoint_file_check",
    "checkpoint_ok",
    "compute_hash",
    "for_case",
    "heads_backfill",
    "normalise",
    "record",
    "record_many",
    "subject_field",
    "subject_models",
    "timeline_checkpoint_take",
    "verify",
    "verify_slices",
]
