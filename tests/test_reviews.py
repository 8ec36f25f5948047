"""年度书面审查 (issue 18 item 5): a campaign per region and year, the employers due with their codes, the public
report (USCC checked by stdnum, the campaign's code, one report per employer, throttled, a receipt never lost),
reports on paper, who has not reported (the page and its XLSX equal the set computed here), the window on the
deadline engine (reminders at its warning, closed at its end), findings → rectification → verification, and
findings → a proactive case (the filing flow; the case names the report, its files become the case's evidence).

Times are Asia/Shanghai; 2026-10-01..07 are holidays and 10-10 (Sat) a make-up working day."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from viewflow.workflow.models import Task

from cases.deadlines import deadlines_sweep, subject_ref_of
from cases.models import Case, Deadline, Employer, Evidence, Region, Role, TimelineEvent
from cases.timeline.labels import EVENT_LABELS
from reviews import rules
from reviews.findings import finding_case_propose, finding_record, finding_verify, rectify_clock
from reviews.models import Attachment, Campaign, Due, Finding, Reminder, Report, ReviewConfig
from reviews.reports import AlreadySubmitted, Upload, report_submit
from reviews.services import (
    campaign_create,
    campaign_open,
    campaign_select,
    due_add,
    dues_missing,
    window_clock,
)
from tests import world
from tests.clock import at
from tests.factories import staff, uscc
from workflows import services as flow_services

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
CODE = "360302"  # 安源区
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def moment(y, m, d, h=10):
    return datetime(y, m, d, h, tzinfo=SH)


def figures(**over) -> dict:
    body = {
        "headcount": "40", "migrant_workers": "25", "contracts_signed": "40", "wages_due": "1,920,000.00",
        "wages_paid": "1900000", "arrears_year_end": "20000", "construction": "no", "wage_account": "",
        "real_name": "", "contact_name": "王会计", "contact_phone": "0799-6831234",
    }  # fmt: skip
    body.update(over)
    return body


def employers(n: int, *, region: str = CODE, industry: str = "C", start: int = 0) -> list[Employer]:
    r = Region.objects.get(code=region)
    return [
        Employer.objects.create(name=f"书面审查单位{start + i}", name_key=f"书面审查单位{start + i}",
                                uscc=uscc(5000 + start + i), region=r, industry=industry)  # fmt: skip
        for i in range(n)
    ]


def campaign(*, opens=None, closes=None, n=4, region=CODE, year=2025, open_it=True) -> Campaign:
    clerk = staff(Role.CLERK, region if region in ("360302", "360313", "360300") else CODE)
    today = date.today()
    c = campaign_create(region=Region.objects.get(code=region), year=year, name=f"{year}年度工资支付书面审查",
                        notice="请于截止日期前报送上一年度工资支付情况。", opens_on=opens or today - timedelta(days=3),
                        closes_on=closes or today + timedelta(days=40), actor=clerk)  # fmt: skip
    if n:
        employers(n, region=region, start=c.pk * 100)
        campaign_select(campaign=c, industries=["C"], sizes=[], actor=clerk)
    if open_it:
        campaign_open(campaign=c, actor=clerk)
    c.refresh_from_db()
    return c


def post_report(client, due: Due, *, code=None, usc=None, files=None, **over):
    data = {"uscc": usc if usc is not None else due.employer.uscc, "code": code if code is not None else due.code,
            **figures(**over)}  # fmt: skip
    for n, f in enumerate(files or [], start=1):
        data[f"file{n}"] = f
        data[f"file{n}_note"] = "工资发放记录"
    return client.post(reverse("reviews-public:report"), data)


# --- the public report ----------------------------------------------------------------------------------------


def test_a_valid_public_report_gives_a_receipt_that_is_shown_again(client):
    c = campaign()
    due = c.dues.order_by("pk").first()
    response = post_report(client, due, files=[SimpleUploadedFile("2025年工资表.pdf", PDF)])
    assert response.status_code == 302 and response["Location"] == reverse("reviews-public:receipt")
    report = Report.objects.get(due=due)
    assert report.channel == "online" and report.wages_due == Decimal("1920000.00") and report.entered_by is None
    assert report.receipt_no == f"SC2025360302{due.pk:06d}"
    attachment = Attachment.objects.get(report=report)
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    page = client.get(response["Location"]).content.decode()
    assert report.receipt_no in page and "1,920,000.00元" in page and due.employer.name in page
    assert "王会计" not in page and "6831234" not in page  # no personal data on a public page
    event = TimelineEvent.objects.get(region=c.region, kind="review.report_submitted")
    assert event.data["receipt_no"] == report.receipt_no and event.data["attachments"][0]["sha256"] == attachment.sha256
    # the receipt again, from another browser, with the USCC and the code
    other = client.__class__()
    again = other.post(reverse("reviews-public:receipt"), {"uscc": due.employer.uscc, "code": due.code.lower()})
    assert again.status_code == 302
    assert report.receipt_no in other.get(again["Location"]).content.decode()


def test_a_wrong_uscc_check_digit_names_the_field_and_writes_nothing(client):
    c = campaign()
    due = c.dues.first()
    good = due.employer.uscc
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    events = TimelineEvent.objects.count()
    page = post_report(client, due, usc=bad, files=[SimpleUploadedFile("a.pdf", PDF)]).content.decode()
    assert 'data-field="uscc"' in page and "校验位错误" in page
    assert not Report.objects.exists() and not Attachment.objects.exists()
    assert TimelineEvent.objects.count() == events


def test_a_wrong_code_and_bad_figures_name_their_fields(client):
    c = campaign()
    due, other = c.dues.order_by("pk")[:2]
    page = post_report(client, due, code=other.code).content.decode()  # another firm's code
    assert 'data-field="code"' in page and not Report.objects.exists()
    page = post_report(client, due, migrant_workers="41", wages_paid="2000000", construction="yes").content.decode()
    for field in ("migrant_workers", "wages_paid", "wage_account", "real_name"):
        assert f'data-field="{field}"' in page
    assert not Report.objects.exists()
    page = post_report(client, due, files=[SimpleUploadedFile("wages.pdf", b"MZ\x90\x00 not a pdf")]).content.decode()
    assert 'data-field="file1"' in page and "不是可接受的类型" in page
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_a_second_report_is_refused_with_the_first_receipt(client):
    c = campaign()
    due = c.dues.first()
    first = post_report(client, due)
    receipt = Report.objects.get(due=due).receipt_no
    second = post_report(client, due, headcount="99", migrant_workers="1")
    assert second.status_code == 302 and second["Location"].endswith("?again=1")
    page = client.get(second["Location"]).content.decode()
    assert "不能重复报送" in page and receipt in page
    assert Report.objects.filter(due=due).count() == 1 and Report.objects.get(due=due).headcount == 40
    with pytest.raises(AlreadySubmitted):
        report_submit(due=due, data=figures(), uploads=[], actor=staff(Role.CLERK), paper=True)
    assert first.status_code == 302


def test_the_report_form_is_throttled_per_address_and_wrong_codes_per_uscc(client, settings):
    c = campaign()
    due, other = c.dues.order_by("pk")[:2]
    settings.ZHIQIAN_THROTTLE_RATES = {"review_code": "2/hour", "review_report": "4/hour"}
    for _i in range(2):
        post_report(client, due, code="WRONGCODE")
    page = post_report(client, due).content.decode()  # the right code, but this USCC is locked for now
    assert 'data-field="code"' in page and "分钟后再试" in page and not Report.objects.exists()
    assert post_report(client, other).status_code == 302  # another firm is not locked
    assert post_report(client, other).status_code == 429  # the address's 5th report POST this hour


# --- who has not reported -------------------------------------------------------------------------------------


def test_the_missing_list_and_its_xlsx_equal_the_set_computed_independently(client):
    c = campaign(n=7)
    clerk = staff(Role.CLERK)
    extra = employers(1, industry="H", start=900)[0]
    due_add(campaign=c, employer=extra, actor=clerk)
    dues = list(c.dues.order_by("pk"))
    for due in dues[:2]:
        report_submit(due=due, data=figures(), uploads=[], actor=None)
    report_submit(due=dues[4], data=figures(), uploads=[], actor=clerk, paper=True)
    expected = {d.pk for d in dues} - {r.due_id for r in Report.objects.all()}
    assert len(expected) == 5
    assert set(dues_missing(c).values_list("pk", flat=True)) == expected
    client.force_login(world.user("clerk", CODE))
    page = client.get(reverse("reviews:missing", args=[c.pk])).content.decode()
    import re

    assert {int(x) for x in re.findall(r'data-due="(\d+)"', page)} == expected
    xlsx = client.get(reverse("reviews:missing", args=[c.pk]) + "?format=xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    names = {row[0] for row in ws.iter_rows(values_only=True)} - {"用人单位", None}
    names = {n for n in names if n in {d.employer.name for d in dues}}
    assert names == {d.employer.name for d in dues if d.pk in expected}
    # reminders go to exactly those
    client.post(reverse("reviews:remind", args=[c.pk]))
    assert set(Reminder.objects.values_list("due_id", flat=True)) == expected


def test_selection_by_industry_and_size_and_one_by_one():
    from inspections.services import target_enrol

    c = campaign(n=0, open_it=False)
    clerk = staff(Role.CLERK)
    made = employers(3, industry="C", start=700) + employers(1, industry="F", start=710)
    employers(1, region="360313", industry="C", start=720)  # another county: never chosen
    target_enrol(region=c.region, actor=clerk, industry="C", size="large", employer=made[0])
    chosen = campaign_select(campaign=c, industries=["C"], sizes=["large"], actor=clerk)
    assert [d.employer_id for d in chosen] == [made[0].pk]
    chosen = campaign_select(campaign=c, industries=["C"], sizes=[], actor=clerk)
    assert sorted(d.employer_id for d in chosen) == sorted(e.pk for e in made[1:3])  # not twice
    with pytest.raises(ValidationError) as err:
        due_add(campaign=c, employer=made[0], actor=clerk)
    assert "employer" in err.value.message_dict
    assert len({d.code for d in c.dues.all()}) == 3 and all(len(d.code) == 8 for d in c.dues.all())
    with pytest.raises(ValidationError) as err:
        campaign_select(campaign=c, industries=[], sizes=[], actor=clerk)
    assert "industries" in err.value.message_dict


# --- the window on the deadline engine ------------------------------------------------------------------------


def test_the_window_runs_on_the_engine_reminds_before_its_end_and_closes(client):
    clerk = staff(Role.CLERK)
    with at(moment(2026, 9, 1)):
        c = campaign(opens=date(2026, 9, 1), closes=date(2026, 10, 3), year=2025, n=3)
        clock = window_clock(c)
        # the last day, 10-03, is a holiday: the window ends with the next working day, 10-08
        assert clock.subject_ref == subject_ref_of(c) == f"reviews.campaign:{c.pk}"
        assert clock.due_at.astimezone(SH).date() == date(2026, 10, 8)
        assert clock.warn_at == clock.due_at - timedelta(days=5)  # rules.WINDOW_WARN_DAYS
        dues = list(c.dues.order_by("pk"))
        report_submit(due=dues[0], data=figures(), uploads=[], actor=None)
    assert deadlines_sweep(now=moment(2026, 10, 4)).warned >= 1
    reminders = Reminder.objects.filter(due__campaign=c)
    assert {r.due_id for r in reminders} == {dues[1].pk, dues[2].pk} and all(r.automatic for r in reminders)
    assert "报送码" in reminders[0].text and dues[1].code in Reminder.objects.get(due=dues[1]).text
    with at(moment(2026, 10, 8, 20)):
        report_submit(due=dues[1], data=figures(), uploads=[], actor=None)  # the last day is still open
    deadlines_sweep(now=moment(2026, 10, 9, 0))
    c.refresh_from_db()
    assert c.status == "closed"
    closed = TimelineEvent.objects.get(region=c.region, kind="review.window_closed")
    assert closed.data["missing"] == 1 and closed.data["campaign"] == c.pk
    assert TimelineEvent.objects.filter(region=c.region, kind="deadline.overdue", data__deadline=clock.pk).exists()
    with at(moment(2026, 10, 9)):
        with pytest.raises(ValidationError) as err:
            report_submit(due=dues[2], data=figures(), uploads=[], actor=None)
        assert "code" in err.value.message_dict
        late = report_submit(due=dues[2], data=figures(), uploads=[], actor=clerk, paper=True)
    assert late.late and late.channel == "paper"


def test_a_short_window_sends_no_automatic_reminder_as_it_opens():
    with at(moment(2026, 9, 1)):
        c = campaign(opens=date(2026, 9, 1), closes=date(2026, 9, 4), n=2)  # 3 days: warned at once
    deadlines_sweep(now=moment(2026, 9, 1, 11))
    assert window_clock(c).warned_at is not None and not Reminder.objects.filter(due__campaign=c).exists()


def test_a_window_not_yet_open_refuses_reports():
    c = campaign(opens=date.today() + timedelta(days=2))
    with pytest.raises(ValidationError) as err:
        report_submit(due=c.dues.first(), data=figures(), uploads=[], actor=None)
    assert "code" in err.value.message_dict and "尚未开始" in err.value.message_dict["code"][0]


# --- findings -------------------------------------------------------------------------------------------------


def _reported(c=None, *, at_moment=None):
    c = c or campaign()
    due = c.dues.order_by("pk").first()
    return report_submit(due=due, data=figures(arrears_year_end="20000"), uploads=[
        Upload(SimpleUploadedFile("工资表.pdf", PDF), "2025年12月工资表")], actor=None)


def test_a_finding_orders_rectification_in_ten_working_days_then_it_is_verified():
    inspector = staff(Role.INSPECTOR)
    with at(moment(2026, 9, 20)):
        c = campaign(opens=date(2026, 9, 15), closes=date(2026, 9, 30))
        report = _reported(c)
    with at(moment(2026, 9, 28)):
        with pytest.raises(ValidationError) as err:
            finding_record(report=report, outcome="rectify", problems=[], amount="0", note="",
                           reviewed_on=date(2026, 9, 28), actor=inspector)  # fmt: skip
        assert "note" in err.value.message_dict
        finding = finding_record(report=report, outcome="rectify", problems=["arrears"], amount="20000",
                                 note="限期支付年末拖欠工资", reviewed_on=date(2026, 9, 28),
                                 actor=inspector)  # fmt: skip
    # 10 working days from 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (make-up), 10-12 .. 10-16
    assert finding.rectify_due == date(2026, 10, 16)
    clock = rectify_clock(finding)
    assert clock.kind == rules.RECTIFY and clock.length == 10 and clock.subject_ref == f"reviews.finding:{finding.pk}"
    with at(moment(2026, 10, 15)):
        finding_verify(finding=finding, corrected=True, verified_on=date(2026, 10, 15), note="已补发", actor=inspector)
    finding.refresh_from_db()
    clock.refresh_from_db()
    assert finding.corrected is True and clock.state == Deadline.State.MET
    kinds = list(TimelineEvent.objects.filter(region=c.region, data__report=report.pk).values_list("kind", flat=True))
    assert kinds == ["review.rectification_ordered", "review.rectification_verified"]
    assert all(k in EVENT_LABELS for k in kinds)


def test_the_provinces_rectification_period_is_used():
    inspector = staff(Role.INSPECTOR)
    ReviewConfig.objects.create(province=Region.objects.get(code="360000"), rectify_wd=5)
    with at(moment(2026, 9, 20)):
        report = _reported(campaign(opens=date(2026, 9, 15), closes=date(2026, 9, 30)))
    with at(moment(2026, 9, 28)):
        finding = finding_record(report=report, outcome="rectify", problems=["no_contract"], amount="",
                                 note="补签劳动合同", reviewed_on=date(2026, 9, 28), actor=inspector)  # fmt: skip
    assert finding.rectify_due == date(2026, 10, 10)  # 09-29, 09-30, 10-08, 10-09, 10-10 (a make-up working day)


def test_a_finding_proposes_a_case_that_names_the_report_and_carries_its_files():
    inspector, leader = staff(Role.INSPECTOR), staff(Role.LEADER)
    report = _reported()
    with pytest.raises(ValidationError) as err:
        finding_case_propose(report=report, problems=[], amount="20000", facts="", workers_count=3,
                             reviewed_on=date.today(), actor=inspector)  # fmt: skip
    assert "problems" in err.value.message_dict
    finding = finding_case_propose(report=report, problems=["arrears"], amount="20000", facts="年末拖欠3人工资",
                                   workers_count=3, reviewed_on=date.today(), actor=inspector)  # fmt: skip
    assert finding.outcome == "case" and finding.filing is not None and finding.case is None
    assert finding.filing.proposal["origin"] == Case.Origin.WRITTEN_REVIEW
    assert report.receipt_no in finding.filing.proposal["facts"]
    task = Task.objects.get(flow_task__endswith="filing_approval", status__in=["NEW", "ASSIGNED"],
                            process__caseprocess__region=report.campaign.region)  # fmt: skip
    if task.owner_id is None:
        flow_services.task_assign(task=task, actor=leader)
    flow_services.task_complete(task=task, actor=leader, data={"approved": "yes", "opinion": "同意立案"})
    finding.refresh_from_db()
    case = finding.case
    assert case is not None and case.origin == Case.Origin.WRITTEN_REVIEW
    assert case.employer.uscc == report.due.employer.uscc
    linked = TimelineEvent.objects.get(case=case, kind="review.case_linked")
    assert linked.data["receipt_no"] == report.receipt_no and linked.data["report"] == report.pk
    evidence = Evidence.objects.get(case=case)
    assert evidence.sha256 == report.attachments.get().sha256 and evidence.original_name == "工资表.pdf"
    assert TimelineEvent.objects.filter(region=report.campaign.region, kind="review.case_proposed",
                                        data__report=report.pk).exists()  # fmt: skip


def test_a_rectification_not_corrected_may_become_a_case_and_no_problem_is_recorded():
    inspector = staff(Role.INSPECTOR)
    c = campaign()
    first, second = c.dues.order_by("pk")[:2]
    r1 = report_submit(due=first, data=figures(), uploads=[], actor=None)
    r2 = report_submit(due=second, data=figures(arrears_year_end="0"), uploads=[], actor=None)
    with pytest.raises(ValidationError) as err:  # problems ticked but "no problem"
        finding_record(report=r2, outcome="no_problem", problems=["arrears"], amount="", note="",
                       reviewed_on=date.today(), actor=inspector)  # fmt: skip
    assert "outcome" in err.value.message_dict
    finding_record(report=r2, outcome="no_problem", problems=[], amount="", note="", reviewed_on=date.today(),
                   actor=inspector)  # fmt: skip
    finding = finding_record(report=r1, outcome="rectify", problems=["arrears"], amount="20000", note="限期支付",
                             reviewed_on=date.today(), actor=inspector)  # fmt: skip
    with pytest.raises(ValidationError):  # a case only once the rectification is found not corrected
        finding_case_propose(report=r1, problems=["arrears"], amount="20000", facts="", workers_count=2,
                             reviewed_on=date.today(), actor=inspector)  # fmt: skip
    finding_verify(finding=finding, corrected=False, verified_on=date.today(), note="仍未支付", actor=inspector)
    finding = finding_case_propose(report=r1, problems=["arrears"], amount="20000", facts="逾期未整改",
                                   workers_count=2, reviewed_on=date.today(), actor=inspector)  # fmt: skip
    assert finding.outcome == "case" and finding.filing is not None and finding.corrected is False
    assert Finding.objects.get(report=r2).outcome == "no_problem"


def test_every_new_event_has_words_and_the_rules_numbers_are_pinned():
    kinds = ["review.campaign_created", "review.employers_selected", "review.employer_added", "review.opened",
             "review.reminded", "review.window_closed", "review.report_submitted", "review.report_entered",
             "review.reviewed", "review.rectification_ordered", "review.rectification_verified",
             "review.case_proposed", "review.case_linked", "config.review_changed"]  # fmt: skip
    assert all(k in EVENT_LABELS for k in kinds)
    assert rules.WINDOW_WARN_DAYS == 5 and rules.RULES[rules.WINDOW].warn_before == 5
    assert rules.RULES[rules.RECTIFY].length == 10 and ReviewConfig._meta.get_field("rectify_wd").default == 10


# --- permissions: in scope 200, out of scope 404, wrong role 403 -------------------------------------------------


def _get(role, code, url):
    from django.test import Client

    client = Client()
    client.force_login(world.user(role, code))
    return client.get(url).status_code


def _post(role, code, url, data=None):
    from django.test import Client

    client = Client()
    client.force_login(world.user(role, code))
    return client.post(url, data or {}).status_code


def test_every_staff_page_answers_200_in_scope_404_out_of_scope_403_for_the_wrong_role():
    c = campaign()
    due = c.dues.order_by("pk").first()
    report = _reported(c)
    attachment = report.attachments.get()
    other_due = c.dues.order_by("pk")[1]
    manage_pages = [reverse("reviews:letter", args=[due.pk]), reverse("reviews:paper", args=[other_due.pk])]
    read_pages = [reverse("reviews:detail", args=[c.pk]), reverse("reviews:missing", args=[c.pk]),
                  reverse("reviews:report", args=[report.pk]), reverse("reviews:attachment", args=[attachment.pk])]
    review_pages = [reverse("reviews:finding", args=[report.pk]), reverse("reviews:verify", args=[report.pk])]
    assert _get("clerk", CODE, reverse("reviews:index")) == 200
    assert _get("admin", CODE, reverse("reviews:index")) == 403
    assert _get("clerk", CODE, reverse("reviews:new")) == 200
    assert _get("legal", CODE, reverse("reviews:new")) == 403
    for url in read_pages:
        assert _get("legal", CODE, url) == 200, url
        assert _get("leader", "360300", url) == 200, url  # the city's leader: its subtree
        assert _get("legal", "360313", url) == 404, url  # the sibling county
        assert _get("admin", CODE, url) == 403, url
    for url in manage_pages:
        assert _get("clerk", CODE, url) == 200, url
        assert _get("clerk", "360313", url) == 404, url
        assert _get("legal", CODE, url) == 403, url
    for url in review_pages:
        assert _get("inspector", CODE, url) == 200, url
        assert _get("inspector", "360313", url) == 404, url
        assert _get("clerk", CODE, url) == 403, url
    for name in ("select", "add", "open", "remind"):
        url = reverse(f"reviews:{name}", args=[c.pk])
        assert _post("clerk", "360313", url) == 404, url
        assert _post("legal", CODE, url) == 403, url
        assert _post("clerk", CODE, url, {"industries": ["C"], "uscc": "x"}) == 302, url


def test_the_public_pages_are_open_and_the_receipt_needs_a_report(client):
    assert client.get(reverse("reviews-public:report")).status_code == 200
    assert client.get(reverse("reviews-public:receipt")).status_code == 404


def test_the_staff_pages_render_the_campaign_in_words(client):
    c = campaign()
    report = _reported(c)
    client.force_login(world.user("clerk", CODE))
    page = client.get(reverse("reviews:detail", args=[c.pk])).content.decode()
    assert "报送中" in page and report.due.employer.name in page and "reviews.campaign" not in page
    page = client.get(reverse("reviews:report", args=[report.pk])).content.decode()
    assert "1,920,000.00元" in page and "工资表.pdf" in page and "王会计" in page
    page = client.get(reverse("reviews:letter", args=[report.due.pk])).content.decode()
    assert report.due.code in page and reverse("reviews-public:report") in page


def test_the_demo_seeds_a_review_of_last_year_in_anyuan_fast_and_once():
    import time

    from reviews.demo import reviews_seed

    started = time.monotonic()
    c = reviews_seed(progress=lambda _m: None)
    assert time.monotonic() - started < 3
    assert c.region.code == CODE and c.year == date.today().year - 1 and c.status == "open"
    assert c.reports.count() == 4 and dues_missing(c).count() == 3
    assert Reminder.objects.filter(due__campaign=c).count() == 3
    assert reviews_seed(progress=lambda _m: None).pk == c.pk and Campaign.objects.filter(region=c.region).count() == 1


def test_the_pages_read_in_english(client, settings):
    import re

    c = campaign()
    report = _reported(c)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    public = client.get(reverse("reviews-public:report"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Unified social credit code" in public and "Reporting code" in public
    client.force_login(world.user("clerk", CODE))
    pages = [reverse("reviews:index"), reverse("reviews:detail", args=[c.pk]), reverse("reviews:missing", args=[c.pk]),
             reverse("reviews:report", args=[report.pk])]  # fmt: skip
    for url in pages:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        main = html.split('class="zq-card"', 1)[1]
        # what is left in Chinese is the data (names, the notice, addresses), never a label of the page
        for label in ("报送期间", "应报送", "回执号", "审查结论", "未报送单位", "年度书面审查"):
            assert label not in re.sub(r"书面审查单位\d+|\d{4}年度工资支付书面审查", "", main), (url, label)


def test_the_province_administrator_sets_the_rectification_period_through_the_service():
    from django.test import Client

    from reviews.config import review_config_save

    admin, province = staff(Role.ADMIN, "360000"), Region.objects.get(code="360000")
    c = Client()
    c.force_login(admin)
    assert c.get("/admin/reviews/reviewconfig/add/").status_code == 200
    response = c.post("/admin/reviews/reviewconfig/add/", {"province": province.pk, "rectify_wd": "15"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ReviewConfig.objects.get(province=province).rectify_wd == 15
    event = TimelineEvent.objects.get(region=province, kind="config.review_changed")
    assert event.data["changes"]["rectify_wd"] == ["10", "15"]
    with pytest.raises(ValidationError) as err:
        review_config_save(actor=admin, province=province, values={"rectify_wd": 0})
    assert "rectify_wd" in err.value.message_dict
    inspector = staff(Role.INSPECTOR)
    c.force_login(inspector)
    assert c.get("/admin/reviews/reviewconfig/").status_code in (302, 403)
    with pytest.raises(ValidationError):
        review_config_save(actor=inspector, province=province, values={"rectify_wd": 5})


def test_at_most_three_attachments_and_the_default_rates():
    from config import settings as project_settings
    from reviews.reports import MAX_ATTACHMENTS

    c = campaign()
    uploads = [Upload(SimpleUploadedFile(f"{n}.pdf", PDF), "工资表") for n in range(4)]
    with pytest.raises(ValidationError) as err:
        report_submit(due=c.dues.first(), data=figures(), uploads=uploads, actor=None)
    assert "attachments" in err.value.message_dict and MAX_ATTACHMENTS == 3
    assert not Report.objects.exists() and not Attachment.objects.exists()
    report_submit(due=c.dues.first(), data=figures(), uploads=uploads[:3], actor=None)
    assert Attachment.objects.count() == 3
    rates = project_settings.ZHIQIAN_THROTTLE_RATES
    assert rates["review_report"] == "20/hour" and rates["review_code"] == "5/hour"
