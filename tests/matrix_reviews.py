"""Permission-matrix entries: the annual written review (issue 18 item 5). The bureau's readers read the reviews,
reports and findings of the regions they cover (404 outside); a clerk or leader covering the review's region
manages it (others 403); an inspector covering it records findings (others 403); the administrator reads none
(403). The employers' form is anyone's; a receipt without a report in the session is a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Employer, Role
from tests import world
from tests.matrix import READERS, Entry, Target, reader_list

MANAGERS = {Role.CLERK, Role.LEADER}


@dataclass
class ReviewTarget(Target):
    campaign_id: int = 0
    due_id: int = 0
    report_id: int = 0
    attachment_id: int = 0


def review_target(code: str) -> ReviewTarget:
    """A review at `code` (opened), two employers due, one reported online with an attachment. Once per region."""
    from stdnum.cn import uscc

    from reviews.models import Campaign
    from reviews.reports import Upload, report_submit
    from reviews.services import campaign_create, campaign_open, due_add

    campaign = Campaign.objects.filter(region__code=code, year=2025).first()
    if campaign is None:
        region = world.region(code)
        campaign = campaign_create(region=region, year=2025, name="权限矩阵书面审查", notice="请报送。",
                                   opens_on=world_today(-5), closes_on=world_today(30), actor=None)  # fmt: skip
        for n in range(2):
            first17 = f"91{code}MA{campaign.pk * 10 + n:07d}"
            name = f"矩阵书面审查单位{code}{n}"
            employer = Employer.objects.create(name=name, name_key=name, region=region,
                                               uscc=first17 + uscc.calc_check_digit(first17))  # fmt: skip
            due_add(campaign=campaign, employer=employer, actor=None)
        campaign_open(campaign=campaign, actor=None)
        due = campaign.dues.order_by("pk").first()
        report_submit(due=due, uploads=[Upload(SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"), "工资表")],
                      actor=None, data={"headcount": "3", "migrant_workers": "1", "contracts_signed": "3",
                                        "wages_due": "100", "wages_paid": "100", "arrears_year_end": "0",
                                        "construction": "no", "contact_name": "甲", "contact_phone": "0799-1234567"})
    report = campaign.reports.get()
    unreported = campaign.dues.exclude(pk=report.due_id).order_by("pk").first()
    return ReviewTarget(campaign_id=campaign.pk, due_id=unreported.pk, report_id=report.pk,
                        attachment_id=report.attachments.get().pk)  # fmt: skip


def world_today(days: int):
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=days)


def read(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 403
    return 200 if in_scope else 404


def manage(ok: int):
    def expect(role: str, in_scope: bool) -> int:
        if role not in READERS:
            return 403
        if not in_scope:
            return 404
        return ok if role in MANAGERS else 403

    return expect


def review(role: str, in_scope: bool) -> int:
    if role not in READERS:
        return 403
    if not in_scope:
        return 404
    return 200 if role == Role.INSPECTOR else 403


def new_review(role: str, _in_scope: bool) -> int:
    """A clerk (its own office) or a leader (its subtree)."""
    return 200 if role in MANAGERS else 403


def _c(name: str, key: str = "campaign_id"):
    return lambda t: reverse(f"reviews:{name}", args=[getattr(t, key)])


ENTRIES = {
    "reviews:index": Entry(lambda t: reverse("reviews:index"), reader_list, scoped=False),
    "reviews:new": Entry(lambda t: reverse("reviews:new"), new_review, scoped=False),
    "reviews:detail": Entry(_c("detail"), read, prepare=review_target),
    "reviews:missing": Entry(_c("missing"), read, prepare=review_target),
    "reviews:select": Entry(_c("select"), manage(302), method="post", prepare=review_target),
    "reviews:add": Entry(_c("add"), manage(302), method="post", prepare=review_target),
    "reviews:open": Entry(_c("open"), manage(302), method="post", prepare=review_target),
    "reviews:remind": Entry(_c("remind"), manage(302), method="post", prepare=review_target),
    "reviews:letter": Entry(_c("letter", "due_id"), manage(200), prepare=review_target),
    "reviews:paper": Entry(_c("paper", "due_id"), manage(200), prepare=review_target),
    "reviews:report": Entry(_c("report", "report_id"), read, prepare=review_target),
    "reviews:attachment": Entry(_c("attachment", "attachment_id"), read, prepare=review_target),
    "reviews:finding": Entry(_c("finding", "report_id"), review, prepare=review_target),
    "reviews:verify": Entry(_c("verify", "report_id"), review, prepare=review_target),
    "reviews-public:report": Entry(lambda t: reverse("reviews-public:report"), lambda r, s: 200, scoped=False,
                                   anonymous=200),  # fmt: skip
    "reviews-public:receipt": Entry(lambda t: reverse("reviews-public:receipt"), lambda r, s: 404, scoped=False,
                                    anonymous=404),  # fmt: skip
}
