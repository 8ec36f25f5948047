"""What the auditors read (SPEC §6): a case's timeline as a PDF — every event in words, the hash chain and
its verification — built from the timeline (cases.timeline), never writing to it."""

from .timeline_pdf import ChainCheck, timeline_check, timeline_pdf
from .words import data_in_words, value_words, words_register

__all__ = ["ChainCheck", "data_in_words", "timeline_check", "timeline_pdf", "value_words", "words_register"]
