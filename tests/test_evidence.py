"""Evidence: type by content and extension, size limit, SHA-256, storage name, downloads in scope only."""

import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from cases.evidence import evidence_upload
from cases.models import Case, Evidence, Role, TimelineEvent
from tests import world
from tests.matrix import assigned_case_target
from tests.matrix_investigation import READS, sweep

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200) + b"\xff\xd9"
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08free" + bytes(100)
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00\x00\x00\x08wide" + bytes(100)


def _ooxml(main_part: str, *extra: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main_part, "<x/>")
        for name in extra:
            z.writestr(name, "x")
    return buffer.getvalue()


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    wb = Workbook()
    wb.active.append(["姓名", "应发"])
    wb.save(buffer)
    return buffer.getvalue()


DOCX = _ooxml("word/document.xml")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture
def case():
    return Case.objects.get(case_no=assigned_case_target("360302").case_no)


@pytest.fixture
def inspector(case):
    return world.user(Role.INSPECTOR, "360302")


def _upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_it_stores_the_file_under_its_own_name_with_the_sha256_and_one_event(case, inspector, _media):
    evidence = evidence_upload(
        case=case, upload=_upload("../../工资表 照片\r\n.PNG", PNG), description=" 工地  照片 ", actor=inspector
    )
    evidence.refresh_from_db()
    assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
    assert evidence.size == len(PNG)
    assert evidence.content_type == "image/png"
    assert evidence.original_name == "工资表 照片.PNG"
    assert evidence.description == "工地 照片"
    assert evidence.uploaded_by == inspector
    # our name, not the client's: evidence/YYYY/MM/<32 hex>.png
    assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(".png")
    assert "工资表" not in evidence.file.name and ".." not in evidence.file.name
    assert (_media / evidence.file.name).read_bytes() == PNG
    event = TimelineEvent.objects.filter(case=case).order_by("-seq").first()
    assert event.kind == "evidence.uploaded"
    assert event.data["original_name"] == "工资表 照片.PNG"
    assert event.data["sha256"] == evidence.sha256
    assert event.data["size"] == len(PNG)
    assert event.data["type"] == "image/png"


def _ids(value):
    """Test ids without the contents: their bytes vary between collections (zip timestamps), and pytest-xdist's
    workers must collect the same tests."""
    return "content" if isinstance(value, bytes) else None


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("记录.pdf", PDF, "application/pdf"),
        ("photo.jpg", JPEG, "image/jpeg"),
        ("photo.JPEG", JPEG, "image/jpeg"),
        ("screen.png", PNG, "image/png"),
        ("video.mp4", MP4, "video/mp4"),
        ("IMG_0001.MOV", MOV, "video/quicktime"),
        ("笔录.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("工资表.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
    ids=_ids,
)
def test_it_accepts_each_allowed_type(case, inspector, name, content, content_type):
    evidence = evidence_upload(case=case, upload=_upload(name, content), description="证据", actor=inspector)
    assert evidence.content_type == content_type
    assert evidence.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("scan.pdf", PNG, "与扩展名"),  # a PNG renamed .pdf
        ("photo.png", JPEG, "与扩展名"),
        ("table.docx", _xlsx(), "与扩展名"),  # a workbook renamed .docx
        ("video.mov", MP4, "与扩展名"),
        ("notes.pdf", b"just some text, not a PDF at all", "不是可接受的类型"),
        ("macro.docx", _ooxml("word/document.xml", "word/vbaProject.bin"), "不是可接受的类型"),
        ("archive.docx", _ooxml("other/part.xml"), "不是可接受的类型"),
        ("photo.heic", b"\x00\x00\x00\x18ftypheic" + bytes(32), "不接受"),
        ("run.exe", b"MZ\x90\x00" + bytes(64), "不接受"),
        ("page.html", b"<html><script>alert(1)</script></html>", "不接受"),
        ("noextension", PDF, "不接受"),
        ("empty.pdf", b"", "文件是空的"),
    ],
    ids=_ids,
)
def test_it_refuses_a_wrong_type_and_writes_nothing(case, inspector, _media, name, content, words):
    events = TimelineEvent.objects.filter(case=case).count()
    with pytest.raises(ValidationError) as exc:
        evidence_upload(case=case, upload=_upload(name, content), description="证据", actor=inspector)
    assert list(exc.value.message_dict) == ["file"]
    assert words in exc.value.message_dict["file"][0]
    assert not Evidence.objects.filter(case=case).exists()
    assert TimelineEvent.objects.filter(case=case).count() == events
    assert _stored_files(_media) == []


def test_it_refuses_a_file_over_the_limit(case, inspector, settings, _media):
    settings.ZHIQIAN_EVIDENCE_MAX_BYTES = 1000
    evidence_upload(case=case, upload=_upload("small.pdf", PDF), description="小文件", actor=inspector)
    with pytest.raises(ValidationError) as exc:
        evidence_upload(case=case, upload=_upload("big.png", PNG), description="大文件", actor=inspector)
    assert "文件过大" in exc.value.message_dict["file"][0]
    assert Evidence.objects.filter(case=case).count() == 1
    assert len(_stored_files(_media)) == 1


def test_a_description_and_a_file_are_required(case, inspector):
    with pytest.raises(ValidationError) as exc:
        evidence_upload(case=case, upload=None, description="说明", actor=inspector)
    assert "file" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        evidence_upload(case=case, upload=_upload("a.pdf", PDF), description="  ", actor=inspector)
    assert "description" in exc.value.message_dict


def test_download_in_scope_gives_the_exact_bytes_and_out_of_scope_404(client, case, inspector):
    evidence = evidence_upload(case=case, upload=_upload("回单.pdf", PDF), description="银行回单", actor=inspector)
    page = reverse("cases:evidence-download", args=[case.case_no, evidence.pk])
    api = reverse("api-case-evidence-download", args=[case.case_no, evidence.pk])
    for user in [inspector, world.user(Role.AUDITOR, "360000"), world.user(Role.LEGAL, "360302")]:
        client.force_login(user)
        for url in (page, api):
            response = client.get(url)
            assert response.status_code == 200, (user, url)
            assert b"".join(response.streaming_content) == PDF
            assert response["Content-Type"] == "application/pdf"
            assert "attachment" in response["Content-Disposition"]
    # an Accept header naming the file's type is not refused (406) by the API
    assert client.get(api, HTTP_ACCEPT="application/pdf").status_code == 200
    for user in [world.user(Role.CLERK, "360313"), world.user(Role.ADMIN, "360000")]:
        client.force_login(user)
        assert client.get(page).status_code == 404
        assert client.get(api).status_code == 404
    # the evidence of one case is not reachable under another case's number
    client.force_login(world.user(Role.CLERK, "360302"))
    other = world.case_in("360302")
    assert client.get(reverse("cases:evidence-download", args=[other.case_no, evidence.pk])).status_code == 404


def test_the_api_uploads_multipart_and_lists(client, case, inspector):
    url = reverse("api-case-evidence", args=[case.case_no])
    client.force_login(inspector)
    response = client.post(url, {"file": _upload("现场.jpg", JPEG, "image/jpeg"), "description": "现场照片"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(JPEG).hexdigest()
    assert body["original_name"] == "现场.jpg"
    response = client.post(url, {"file": _upload("scan.pdf", PNG), "description": "改了扩展名"})
    assert response.status_code == 400
    assert "file" in response.json()["errors"]
    client.force_login(world.user(Role.AUDITOR, "360300"))
    listed = client.get(url).json()
    assert [e["sha256"] for e in listed] == [body["sha256"]]
    assert listed[0]["download_url"] == reverse("api-case-evidence-download", args=[case.case_no, body["id"]])
    # in scope without INVESTIGATE: 403, even with a good file
    assert client.post(url, {"file": _upload("x.pdf", PDF), "description": "x"}).status_code == 403


def test_the_page_upload_redirects_or_shows_the_error(client, case, inspector):
    url = reverse("cases:evidence-upload", args=[case.case_no])
    client.force_login(inspector)
    response = client.post(url, {"file": _upload("合同.pdf", PDF), "description": "劳动合同"})
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[case.case_no]) + "#evidence"
    response = client.post(url, {"file": _upload("合同.pdf", PNG), "description": "劳动合同"})
    assert response.status_code == 400
    assert "与扩展名" in response.context["evidence_form"].errors["file"][0]
    assert Evidence.objects.filter(case=case).count() == 1


def test_the_evidence_list_api_reads_follow_the_matrix(client):
    assert not sweep(client, READS["api-case-evidence"])
