"""Personal data at rest (PIPL): AES-256-GCM encryption of ID numbers and phones, and their blind index.

Stored form of an encrypted value: ``v1:<kid>:<base64url(nonce ‖ ciphertext ‖ tag)>`` (12-byte random
nonce, the column's purpose as associated data, so a value copied into another column does not decrypt).
An empty value is stored empty. Keys come from the settings (docs/personal-data.md):

- ``ZHIQIAN_DATA_KEYS``: ``kid:base64key,kid:base64key,...`` (32-byte keys): the first encrypts,
  all decrypt — a new key goes first, the old ones stay until ``rotate_personal_data_key`` has run;
- ``ZHIQIAN_INDEX_KEY``: base64, at least 32 bytes: the HMAC-SHA256 key of the blind index, a
  deterministic keyed digest of the normalised value (ID upper-case, phone digits only), for
  exact-match search and the duplicate check without decrypting.

Development and tests run on fixed keys below when the settings are empty; production refuses to
start without its own (config/settings.py).
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os
import re
from collections.abc import Callable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

VERSION = "v1"
NONCE_BYTES = 12
INDEX_HEX_CHARS = 32  # 128 bits of the HMAC: no collision among billions of values
KINDS = ("id", "phone")  # what a blind index is computed over (part of the HMAC input)
# Development and test keys: public, never used when ZHIQIAN_ENV=production (settings refuse to start).
DEV_DATA_KEYS = "dev1:carehsySJBgkV7Zvry9V7XLA/Vg8yx6VW/y94DXu+PY="
DEV_INDEX_KEY = "+vMFyG0v8blaTQnJHtnGlwwGDTpH9UoZPjP/+hoY5q8="
_KID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class PersonalDataError(Exception):
    """A stored value cannot be decrypted: unknown key id, wrong key, tampered or not encrypted."""


def _b64decode(text: str, what: str) -> bytes:
    text = text.strip()
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_" if "-" in text or "_" in text else None,
                                validate=True)  # fmt: skip
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{what}: not valid base64") from None


@functools.lru_cache(maxsize=8)
def parse_data_keys(spec: str) -> tuple[tuple[str, AESGCM], ...]:
    """``kid:base64key,...`` → ((kid, cipher), ...), the encrypting key first. Raises ImproperlyConfigured."""
    keys: list[tuple[str, AESGCM]] = []
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kid, sep, secret = part.partition(":")
        if not sep or not _KID.match(kid):
            raise ImproperlyConfigured(
                "ZHIQIAN_DATA_KEYS: each entry is kid:base64key, kid of 1-16 letters, digits, - or _"
            )
        raw = _b64decode(secret, f"ZHIQIAN_DATA_KEYS key {kid!r}")
        if len(raw) != 32:
            raise ImproperlyConfigured(f"ZHIQIAN_DATA_KEYS key {kid!r}: {len(raw)} bytes, AES-256 needs 32")
        if any(k == kid for k, _ in keys):
            raise ImproperlyConfigured(f"ZHIQIAN_DATA_KEYS: key id {kid!r} given twice")
        keys.append((kid, AESGCM(raw)))
    if not keys:
        raise ImproperlyConfigured("ZHIQIAN_DATA_KEYS: no key")
    return tuple(keys)


@functools.lru_cache(maxsize=8)
def parse_index_key(spec: str) -> bytes:
    raw = _b64decode(spec, "ZHIQIAN_INDEX_KEY")
    if len(raw) < 32:
        raise ImproperlyConfigured(f"ZHIQIAN_INDEX_KEY: {len(raw)} bytes, at least 32 needed")
    return raw


def keys_check(data_keys: str, index_key: str, *, production: bool = False) -> None:
    """Raise ImproperlyConfigured unless both key settings parse, and, in production, unless neither
    reuses the public development keys (called by the settings at start)."""
    parse_data_keys(data_keys)
    parse_index_key(index_key)
    if production:
        dev = {DEV_DATA_KEYS.split(":", 1)[1], DEV_INDEX_KEY}
        given = [part.partition(":")[2].strip() for part in data_keys.split(",")] + [index_key.strip()]
        if dev & set(given):
            raise ImproperlyConfigured("ZHIQIAN_DATA_KEYS / ZHIQIAN_INDEX_KEY: the development keys in production")


def _data_keys() -> tuple[tuple[str, AESGCM], ...]:
    spec = getattr(settings, "ZHIQIAN_DATA_KEYS", "") or ""
    if not spec:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("ZHIQIAN_DATA_KEYS must be set in production")
        spec = DEV_DATA_KEYS
    return parse_data_keys(spec)


def _index_key() -> bytes:
    spec = getattr(settings, "ZHIQIAN_INDEX_KEY", "") or ""
    if not spec:
        if getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured("ZHIQIAN_INDEX_KEY must be set in production")
        spec = DEV_INDEX_KEY
    return parse_index_key(spec)


def current_kid() -> str:
    """The id of the key new values are encrypted with."""
    return _data_keys()[0][0]


def is_encrypted(stored: str | None) -> bool:
    return stored is not None and stored.startswith(VERSION + ":")


def stored_kid(stored: str) -> str:
    """The key id a stored value was encrypted with ("" for an empty or a plaintext value)."""
    if not is_encrypted(stored):
        return ""
    return stored.split(":", 2)[1]


def encrypt(value: str, *, purpose: str) -> str:
    """The stored form of `value` under the current key; "" stays ""."""
    if not value:
        return ""
    kid, cipher = _data_keys()[0]
    nonce = os.urandom(NONCE_BYTES)
    sealed = cipher.encrypt(nonce, value.encode("utf-8"), purpose.encode("utf-8"))
    return f"{VERSION}:{kid}:{base64.urlsafe_b64encode(nonce + sealed).rstrip(b'=').decode('ascii')}"


def decrypt(stored: str, *, purpose: str) -> str:
    """The plaintext of a stored value; raises PersonalDataError, never returns garbage."""
    if not stored:
        return ""
    if not is_encrypted(stored):
        raise PersonalDataError(f"{purpose}: the stored value is not encrypted (run the migrations)")
    _, kid, body = stored.split(":", 2)
    cipher = dict(_data_keys()).get(kid)
    if cipher is None:
        raise PersonalDataError(
            f"{purpose}: encrypted with key {kid!r}, which is not in ZHIQIAN_DATA_KEYS "
            "(keep an old key there until rotate_personal_data_key has run)"
        )
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode("utf-8"))
    except (InvalidTag, ValueError, binascii.Error):
        raise PersonalDataError(
            f"{purpose}: cannot decrypt with key {kid!r} (wrong key material for this id, or a damaged value)"
        ) from None
    return plain.decode("utf-8")


def normalise(kind: str, value: str) -> str:
    """What the blind index is computed over: an ID number stripped and upper-cased (x → X); a phone's
    digits only, without the +86 / 0086 country prefix."""
    if kind == "id":
        return re.sub(r"\s+", "", value or "").upper()
    if kind == "phone":
        digits = re.sub(r"\D", "", value or "")
        for prefix in ("0086", "86"):
            if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
                return digits[len(prefix) :]
        return digits
    raise ValueError(f"blind index kind {kind!r}: one of {KINDS}")


def blind_index(kind: str, value: str) -> str:
    """HMAC-SHA256 under ZHIQIAN_INDEX_KEY of "kind:normalised value", 32 hex characters; "" for ""."""
    norm = normalise(kind, value)
    if not norm:
        return ""
    return hmac.new(_index_key(), f"{kind}:{norm}".encode(), hashlib.sha256).hexdigest()[:INDEX_HEX_CHARS]


def blind_indexer(kind: str) -> Callable[[str], str]:
    """`blind_index(kind, ·)` for many values (an import of a million lines): the HMAC keyed once and its
    state copied per value, the same digest as blind_index."""
    if kind not in KINDS:
        raise ValueError(f"blind index kind {kind!r}: one of {KINDS}")
    keyed = hmac.new(_index_key(), f"{kind}:".encode(), hashlib.sha256)

    def index(value: str) -> str:
        norm = normalise(kind, value)
        if not norm:
            return ""
        digest = keyed.copy()
        digest.update(norm.encode())
        return digest.hexdigest()[:INDEX_HEX_CHARS]

    return index


def encrypter(purpose: str) -> Callable[[str], str]:
    """`encrypt(·, purpose=purpose)` for many values: the key looked up once, the same stored form."""
    kid, cipher = _data_keys()[0]
    prefix, aad, urandom, b64 = f"{VERSION}:{kid}:", purpose.encode("utf-8"), os.urandom, base64.urlsafe_b64encode

    def seal(value: str) -> str:
        if not value:
            return ""
        nonce = urandom(NONCE_BYTES)
        return prefix + b64(nonce + cipher.encrypt(nonce, value.encode("utf-8"), aad)).rstrip(b"=").decode("ascii")

    return seal


def search_indexes(q: str) -> dict[str, str]:
    """For a search box: the blind indexes `q` may be an exact match of ({"id": ..., "phone": ...},
    only for a plausible resident ID number or mobile number)."""
    out = {}
    if re.fullmatch(r"\d{17}[\dX]", normalise("id", q)):
        out["id"] = blind_index("id", q)
    if re.fullmatch(r"1\d{10}", normalise("phone", q)) and not re.search(r"[^\d\s+()-]", q):
        out["phone"] = blind_index("phone", q)
    return out
