"""The timeline: the ONLY writer of TimelineEvent, and its verifier.

Each subject — a case, a complaint before filing, a staff account, a region's administration — has its
own SHA-256 hash chain: hash = sha256(prev_hash + canonical_json(event)). Call record() inside the
service's transaction; it locks the subject row so concurrent appends serialise. record_many() writes
many events (the deadline sweep's) in a fixed number of statements. See docs/timeline.md.
"""

from .chain import GENESIS, Entry, compute_hash, normalise, record, record_many, subject_field, subject_models
from .verify import Break, Verification, _slices, chain_ok, for_case, verify, verify_slices

__all__ = [
    "GENESIS",
    "Break",
    "Entry",
    "Verification",
    "_slices",
    "chain_ok",
    "compute_hash",
    "for_case",
    "normalise",
    "record",
    "record_many",
    "subject_field",
    "subject_models",
    "verify",
    "verify_slices",
]
