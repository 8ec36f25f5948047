"""The deadline engine on a subject of an app above cases (subject_ref): the same rules, sweep, handlers and
timeline as a case's clocks, the events on the region's chain, the leader's overdue list linking the subject.

Times are Asia/Shanghai; 2026-10-01..07 are holidays and 10-10 (Sat) a make-up working day."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import deadlines
from cases.deadlines import (
    RULES,
    Rule,
    deadline_close,
    deadline_start,
    deadlines_for,
    deadlines_sweep,
    on_overdue,
    subject_link,
    subject_ref_of,
    subject_register,
)
from cases.deadlines import subjects as subject_registry
from cases.models import Deadline, Employer, TimelineEvent
from tests import world

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
KIND = "test.subject_clock"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    Deadline.objects.filter(state__in=["running", "paused", "overdue"]).update(state="cancelled")
    monkeypatch.setitem(RULES, KIND, Rule("整改期限", 10, Deadline.Unit.WORKING_DAYS, "测试依据", "test.started", 2))
    saved = {k: list(v) for k, v in deadlines._overdue_handlers.items()}
    deadlines._overdue_handlers.clear()
    monkeypatch.setattr(subject_registry, "_LINKS", {})
    yield
    deadlines._overdue_handlers.clear()
    deadlines._overdue_handlers.update(saved)


@pytest.fixture
def employer():
    return Employer.objects.create(name="萍乡某建筑劳务有限公司", region=world.region("360302"))


def test_a_clock_on_any_subject_counts_working_days_and_goes_overdue_on_the_region_chain(employer):
    region = world.region("360302")
    ref = subject_ref_of(employer)
    assert ref == f"cases.employer:{employer.pk}"
    seen = []
    on_overdue(KIND, lambda d, now: seen.append(d.subject_ref))
    d = deadline_start(kind=KIND, region=region, start_at=datetime(2026, 9, 28, 10, tzinfo=SH), subject_ref=ref)
    # 10 working days from 09-28: 09-29, 09-30, 10-08, 10-09, 10-10 (make-up), 10-12 .. 10-16
    assert d.due_at.astimezone(SH).date().isoformat() == "2026-10-16"
    assert list(deadlines_for(subject_ref=ref)) == [d]
    assert deadlines_sweep(now=datetime(2026, 10, 17, 9, tzinfo=SH)).overdue == 1
    d.refresh_from_db()
    assert d.state == Deadline.State.OVERDUE and seen == [ref]
    overdue = TimelineEvent.objects.filter(region=region, kind="deadline.overdue")
    assert [e.data["deadline"] for e in overdue] == [d.pk]
    deadline_close(deadline=d, at=datetime(2026, 10, 19, tzinfo=SH))
    d.refresh_from_db()
    assert d.state == Deadline.State.CLOSED_LATE


def test_a_subject_ref_is_validated(employer):
    region = world.region("360302")
    case = world.make_case("360302")
    at = datetime(2026, 9, 28, 10, tzinfo=SH)
    for bad in ("not a ref", "cases.employer:", ":12"):
        with pytest.raises(ValidationError) as err:
            deadline_start(kind=KIND, region=region, start_at=at, subject_ref=bad)
        assert "subject_ref" in err.value.message_dict
    with pytest.raises(ValidationError):  # one subject only
        deadline_start(kind=KIND, region=region, start_at=at, subject_ref=subject_ref_of(employer), case=case)
    with pytest.raises(ValidationError):  # no subject at all
        deadline_start(kind=KIND, region=region, start_at=at)
    with pytest.raises(ValueError):
        subject_ref_of(Employer(name="unsaved"))


def test_the_leaders_overdue_list_links_the_subject_in_words(client, employer):
    region = world.region("360302")
    subject_register("cases.employer", lambda pk: (f"整改：{Employer.objects.get(pk=pk).name}", f"/somewhere/{pk}/"))
    d = deadline_start(
        kind=KIND, region=region, start_at=datetime(2026, 9, 28, 10, tzinfo=SH), subject_ref=subject_ref_of(employer)
    )
    deadlines_sweep(now=datetime(2026, 10, 17, 9, tzinfo=SH))
    d.refresh_from_db()
    assert subject_link(d) == ("整改：萍乡某建筑劳务有限公司", f"/somewhere/{employer.pk}/")
    client.force_login(world.user("leader", "360300"))
    page = client.get(reverse("tasks:leader")).content.decode()
    assert f'href="/somewhere/{employer.pk}/"' in page and "整改：萍乡某建筑劳务有限公司" in page
    assert "cases.employer" not in page  # never the internal reference
