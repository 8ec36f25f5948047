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


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳小明 -> 欧***: the surname only, for the append-only timeline."""
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""
