"""Files stored inside a transaction that rolls back do not stay on disk; a record whose stored file is gone
answers 404 with a message naming the file — on the page and in the API —, never a 500 (issue 13 item 14)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from cases.documents import document_issue
from cases.evidence import evidence_upload
from cases.models import Document, Evidence, Role
from cases.stored_files import storage_save
from tests import world
from tests.flowkit import api
from tests.test_referral import PNG

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def files(root: Path) -> list[str]:
    return sorted(str(Path(d, f).relative_to(root)) for d, _dirs, names in os.walk(root) for f in names)


def issue(case) -> Document:
    return document_issue(
        case=case, kind=Document.Kind.ACCEPTANCE_NOTICE, actor=world.user("clerk", "360302"), role=Role.CLERK, data={}
    )


def upload(case) -> Evidence:
    return evidence_upload(
        case=case,
        upload=SimpleUploadedFile("wage.png", PNG, content_type="image/png"),
        description="工资表照片",
        actor=world.user("inspector", "360302"),
    )


def test_a_document_pdf_is_removed_when_the_issuing_transaction_rolls_back(media):
    case = world.make_case("360302")
    with pytest.raises(Boom), transaction.atomic():
        document = issue(case)
        assert files(media) == [document.file.name]  # written inside the transaction
        raise Boom  # a later step of the same service fails
    assert files(media) == []
    assert not Document.objects.filter(case=case).exists()


def test_an_evidence_file_is_removed_when_the_callers_transaction_rolls_back(media):
    case = world.make_case("360302")
    with pytest.raises(Boom), transaction.atomic():
        upload(case)
        raise Boom
    assert files(media) == []
    assert not Evidence.objects.filter(case=case).exists()


def test_only_the_files_of_the_rolled_back_savepoint_go(media):
    case = world.make_case("360302")
    with transaction.atomic():
        kept = issue(case)
        with pytest.raises(Boom), transaction.atomic():
            issue(case)
            upload(case)
            raise Boom
        assert files(media) == [kept.file.name]
    assert files(media) == [kept.file.name]  # the outer block went on: its file stays
    assert Document.objects.filter(case=case).count() == 1


def test_a_file_stored_outside_a_transaction_stays(media):
    name = storage_save("misc/note.txt", SimpleUploadedFile("note.txt", b"x"))
    assert files(media) == [name]


# --- a missing stored file: 404 with a clear message --------------------------------------------------------


def test_a_missing_document_file_answers_404_on_the_page_and_in_the_api(client, media):
    case = world.make_case("360302")
    document = issue(case)
    (media / document.file.name).unlink()
    client.force_login(world.user("leader", "360302"))
    page = client.get(f"/cases/{case.case_no}/documents/{document.pk}/pdf/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "存储文件不存在" in body and document.number in body
    response = api("leader_360302").get(
        f"/api/v1/cases/{case.case_no}/documents/{document.pk}/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 404
    assert document.number in response.json()["errors"]["file"][0]


def test_a_missing_evidence_file_answers_404_on_the_page_and_in_the_api(client, media):
    case = world.make_case("360302")
    evidence = upload(case)
    (media / evidence.file.name).unlink()
    client.force_login(world.user("leader", "360302"))
    page = client.get(f"/cases/{case.case_no}/evidence/{evidence.pk}/download/")
    assert page.status_code == 404 and "wage.png" in page.content.decode()
    response = api("leader_360302").get(f"/api/v1/cases/{case.case_no}/evidence/{evidence.pk}/download/")
    assert response.status_code == 404 and "存储文件不存在" in response.json()["errors"]["file"][0]
