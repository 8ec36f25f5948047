"""Evidence (SPEC §3, §4.2): an uploaded file, checked by content and extension, stored with its SHA-256.

    evidence = evidence_upload(case=case, upload=request.FILES["file"], description="工资表", actor=user)
    with evidence_open(evidence) as f: ...

Nothing is written (file or row) unless every check passes. The stored name is ours
(`evidence/YYYY/MM/<random>.<ext of the detected type>`); the client's file name is kept
only as `original_name`, for display and for the download's file name.
"""

from __future__ import annotations

import hashlib
import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from . import timeline
from .actors import Staff
from .models import Case, Evidence, Role
from .stored_files import storage_save

DEFAULT_MAX_BYTES = 20 * 1024 * 1024  # 20 MiB; settings.ZHIQIAN_EVIDENCE_MAX_BYTES overrides
DESCRIPTION_MAX = 300
ORIGINAL_NAME_MAX = 200
HEAD_BYTES = 64  # enough for every signature below


@dataclass(frozen=True)
class FileType:
    key: str
    label: str
    content_type: str
    extensions: tuple[str, ...]  # the first is the one the stored file gets
    why: str


# What inspectors actually collect as evidence, and nothing that runs code or hides other files.
FILE_TYPES: dict[str, FileType] = {
    t.key: t
    for t in [
        FileType(
            "pdf", "PDF", "application/pdf", (".pdf",),
            "scans of signed interview and inspection records, contracts, bank payment receipts, served documents",
        ),
        FileType(
            "jpeg", "JPEG", "image/jpeg", (".jpg", ".jpeg"),
            "phone photos: the site, attendance sheets, wage slips, an order posted at the premises (JI2013 art 4)",
        ),
        FileType(
            "png", "PNG", "image/png", (".png",),
            "screenshots: WeChat / Alipay transfers, banking apps, chat messages about pay",
        ),
        FileType(
            "mp4", "MP4", "video/mp4", (".mp4",),
            "video from Android phones: site inspections, posting of an order, interviews of workers (LINK2014)",
        ),
        FileType(
            "mov", "QuickTime", "video/quicktime", (".mov",),
            "video from iPhones (their default container), for the same records as MP4",
        ),
        FileType(
            "docx", "Word (DOCX)",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",),
            "statements, labour contracts, subcontracts as employers and workers send them (no macros: no .doc/.docm)",
        ),
        FileType(
            "xlsx", "Excel (XLSX)",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",),
            "wage sheets, attendance and the employer's wage ledger (WPR art 15) (no macros: not .xls/.xlsm)",
        ),
    ]
}  # fmt: skip
EXTENSIONS: dict[str, str] = {ext: t.key for t in FILE_TYPES.values() for ext in t.extensions}

# ISO base media (MP4 / QuickTime): the `ftyp` box's major and compatible brands.
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VP",
    b"MSNV", b"dash", b"mmp4", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"f4v ",
}  # fmt: skip
_QUICKTIME_BRAND = b"qt  "
# A QuickTime file may start without `ftyp` (older cameras): its first atom is one of these.
_QUICKTIME_FIRST_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def max_bytes() -> int:
    return int(getattr(settings, "ZHIQIAN_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size_text(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} 字节"


def _allowed_text() -> str:
    return "、".join(t.label for t in FILE_TYPES.values())


def _extensions_text() -> str:
    return " ".join(EXTENSIONS)


def _sniff_iso_media(head: bytes) -> str | None:
    if head[4:8] == b"ftyp":
        major = head[8:12]
        size = int.from_bytes(head[0:4], "big")
        compatible = {head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)}
        if major == _QUICKTIME_BRAND:
            return "mov"
        if major in _MP4_BRANDS or compatible & _MP4_BRANDS:
            return "mp4"
        if _QUICKTIME_BRAND in compatible:
            return "mov"
        return None  # HEIC / AVIF images, M4A audio and the like
    if head[4:8] in _QUICKTIME_FIRST_ATOMS:
        return "mov"
    return None


def _sniff_office(upload: UploadedFile) -> str | None:
    """An Office Open XML package: a ZIP with [Content_Types].xml and the main part; no macros."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names or any(n.lower().endswith("vbaproject.bin") for n in names):
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def sniff(upload: UploadedFile) -> str | None:
    """The file's type by its content (magic bytes), or None when it is none of FILE_TYPES."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_office(upload)
    return _sniff_iso_media(head)


def _original_name(name: str | None) -> str:
    """The client's file name for display: no directories, at most 200 characters (extension kept)."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(ch for ch in base if ch.isprintable()).strip() or "file"
    if len(base) > ORIGINAL_NAME_MAX:
        stem, ext = os.path.splitext(base)
        base = stem[: ORIGINAL_NAME_MAX - len(ext)] + ext
    return base


def _hash_and_size(upload: UploadedFile, limit: int) -> tuple[str, int]:
    """SHA-256 and size, streamed chunk by chunk; stops reading as soon as the limit is passed."""
    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            break
        digest.update(chunk)
    return digest.hexdigest(), size


def _check(upload: UploadedFile | None, description: str) -> tuple[FileType, str, int, str]:
    """(type, sha256, size, description) or ValidationError naming the field; reads, never writes."""
    if upload is None:
        raise ValidationError({"file": "请选择要上传的文件。"})
    description = " ".join((description or "").split())
    if not description:
        raise ValidationError({"description": "请填写证据说明（例如：2026年5月工资表）。"})
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError({"description": f"证据说明不能超过{DESCRIPTION_MAX}个字（现有{len(description)}个字）。"})
    limit = max_bytes()
    if not upload.size:
        raise ValidationError({"file": "文件是空的。"})
    if upload.size > limit:
        raise ValidationError({"file": f"文件过大：{_size_text(upload.size)}，每个文件不能超过{_size_text(limit)}。"})
    ext = os.path.splitext(upload.name or "")[1].lower()
    expected = EXTENSIONS.get(ext)
    if expected is None:
        shown = ext or "无扩展名"
        raise ValidationError({"file": f"不接受“{shown}”文件。只接受：{_allowed_text()}（{_extensions_text()}）。"})
    actual = sniff(upload)
    if actual is None:
        raise ValidationError(
            {"file": f"文件内容不是可接受的类型（{_allowed_text()}），或文件已损坏。请上传原始文件。"}
        )
    if actual != expected:
        raise ValidationError(
            {"file": f"文件内容是{FILE_TYPES[actual].label}，与扩展名“{ext}”不符。请上传原始文件，不要修改扩展名。"}
        )
    sha256, size = _hash_and_size(upload, limit)
    if size == 0:
        raise ValidationError({"file": "文件是空的。"})
    if size > limit:
        raise ValidationError({"file": f"文件过大，每个文件不能超过{_size_text(limit)}。"})
    return FILE_TYPES[actual], sha256, size, description


def evidence_upload(*, case: Case, upload: UploadedFile | None, description: str, actor: Staff) -> Evidence:
    """Check, store and register one evidence file; one timeline event "evidence.uploaded".

    Refused (ValidationError keyed "file" or "description", nothing written) when the extension
    or the content is not an accepted type, when they disagree, or when it exceeds
    ZHIQIAN_EVIDENCE_MAX_BYTES. Whoever calls this has checked Right.INVESTIGATE on the case.
    """
    file_type, sha256, size, description = _check(upload, description)
    assert upload is not None  # _check() refused a missing file
    now = timezone.now()
    name = f"evidence/{now:%Y/%m}/{uuid.uuid4().hex}{file_type.extensions[0]}"
    upload.seek(0)
    with transaction.atomic():  # a rollback, here or in the caller's transaction, removes the file again
        stored = storage_save(name, upload)
        evidence = Evidence.objects.create(
            case=case,
            file=stored,
            original_name=_original_name(upload.name),
            content_type=file_type.content_type,
            size=size,
            sha256=sha256,
            description=description,
            uploaded_by=actor,
            uploaded_at=now,
        )
        timeline.record(
            case,
            "evidence.uploaded",
            actor=actor,
            role=Role.INSPECTOR,
            data={
                "evidence": evidence.pk,
                "original_name": evidence.original_name,
                "sha256": sha256,
                "size": size,
                "type": file_type.content_type,
                "description": description,
            },
        )
    return evidence


def evidence_open(evidence: Evidence) -> File:
    """The stored file, opened for reading (binary). The caller closes it (FileResponse does)."""
    return default_storage.open(evidence.file.name, "rb")
