"""Identity numbers for generated data: check characters from python-stdnum (as cases.values checks them).

stdnum.cn.ric.calc_check_digit reads the number without its last character, and
stdnum.cn.uscc.calc_check_digit the first 17 characters: both are given the 17 characters plus a
placeholder. GB 11714 (the organisation code inside a USCC, characters 9-17) has no stdnum module and
the project does not check it; `org_code` is its only copy in the tree.
"""

from __future__ import annotations

from stdnum.cn import ric, uscc

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100's alphabet (no I, O, S, V, Z)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(first17: str) -> str:
    """An 18-character resident ID number (GB 11643): the 17 given characters and their check character."""
    return first17 + ric.calc_check_digit(first17 + "0")


def uscc_code(first17: str) -> str:
    """An 18-character unified social credit code (GB 32100): the 17 given characters and their check."""
    return first17 + uscc.calc_check_digit(first17 + "0")


def org_code(first8: str) -> str:
    """A GB 11714 organisation code: the 8 given characters and their check character."""
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True)) % 11
    return first8 + ("X" if c == 10 else "0" if c == 11 else str(c))
