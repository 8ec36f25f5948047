"""Masking of personal data (PIPL): ID numbers, phones, bank cards."""


def mask_id(value: str) -> str:
    """3603021985031200 1X -> 3603**********001X (first 4, last 4)."""
    if not value:
        return ""
    if len(value) <= 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_phone(value: str) -> str:
    """13807990001 -> 138****0001."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
