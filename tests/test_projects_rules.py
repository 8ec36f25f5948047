"""The numbers and rules of the project registry, accounts and payroll (issue 15): each test fails when its
number changes."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from projects.accounts import account_late, labour_cost_record, wage_account_close, wage_account_open
from projects.models import Project, WageAccount
from projects.registry import project_status_set, project_unit_add
from projects.rules import DEFAULTS, wage_account_due_on
from tests import world
from tests.factories import uscc
from tests.projectkit import ACCOUNT_NO, make_project

pytestmark = pytest.mark.django_db


def test_row50_wage_account_due_30_days_after_the_contract():
    assert DEFAULTS["wage_account_due_days"] == 30
    region = world.region("360302")
    assert wage_account_due_on(region=region, contract_signed_on=date(2026, 1, 5)) == date(2026, 2, 4)
    project = make_project(41, labour=False)  # contract signed 2026-01-05
    on_time = WageAccount(project=project, opened_on=date(2026, 2, 4))
    assert not account_late(project, on_time, date(2026, 6, 1))
    assert account_late(project, WageAccount(project=project, opened_on=date(2026, 2, 5)), date(2026, 6, 1))
    assert not account_late(project, None, date(2026, 2, 4))  # none yet, not yet due
    assert account_late(project, None, date(2026, 2, 5))  # none on the 31st day: late


def test_row50_due_days_is_a_per_province_setting(settings):
    settings.ZHIQIAN_PROJECT_RULES = {"360000": {"wage_account_due_days": 15}}
    assert wage_account_due_on(region=world.region("360302"), contract_signed_on=date(2026, 1, 5)) == date(2026, 1, 20)
    # another province keeps the default
    assert wage_account_due_on(region=world.region("430102"), contract_signed_on=date(2026, 1, 5)) == date(2026, 2, 4)


def test_wage_account_number_is_encrypted_at_rest_and_the_late_opening_is_recorded():
    project = make_project(42, labour=False)
    account = wage_account_open(
        actor=None, project=project, bank="农业银行", account_no="6228 4800 1234 5678 9", opened_on="2026-02-10"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT account_no FROM {WageAccount._meta.db_table} WHERE id = %s", [account.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("v1:") and "62284800" not in stored
    assert WageAccount.objects.get(pk=account.pk).account_no == "6228480012345678" + "9"
    event = project.region.admin_events.filter(kind="project.account_opened").latest("id")
    assert event.data["late"] is True and event.data["due_on"] == "2026-02-04" and "1234" not in event.data["account"]


def test_account_closes_only_after_completion_and_labour_costs_need_an_account():
    project = make_project(43, labour=False)
    with pytest.raises(ValidationError) as err:
        labour_cost_record(actor=None, project=project, month="2026-03", amount="1000", received_on="2026-03-08")
    assert "account" in err.value.message_dict
    wage_account_open(actor=None, project=project, bank="农业银行", account_no=ACCOUNT_NO, opened_on="2026-01-20")
    with pytest.raises(ValidationError) as err:
        labour_cost_record(actor=None, project=project, month="2026-03", amount="-5", received_on="2026-03-08")
    assert "amount" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        wage_account_close(actor=None, project=project, closed_on="2027-08-01")
    assert "closed_on" in err.value.message_dict
    project_status_set(actor=None, project=project, status="completed", completed_on="2027-06-30")
    assert wage_account_close(actor=None, project=project, closed_on="2027-08-01").closed_on == date(2027, 8, 1)
    assert Project.objects.get(pk=project.pk).status == Project.Status.COMPLETED


def test_chain_subcontractors_hang_under_the_general_contractor_and_uscc_is_checked():
    project = make_project(44, labour=False)
    bad = uscc(1)[:-1] + ("0" if uscc(1)[-1] != "0" else "1")
    with pytest.raises(ValidationError) as err:
        project_unit_add(actor=None, project=project, name="某劳务公司", uscc=bad, role="labour")
    assert err.value.message_dict == {"uscc": ["统一社会信用代码校验位错误，请核对代码。"]}
    specialist = project_unit_add(actor=None, project=project, name="某专业分包", uscc=uscc(2), role="specialist")
    labour = project_unit_add(
        actor=None, project=project, name="某劳务公司", uscc=uscc(3), role="labour", parent=specialist
    )
    assert specialist.parent.role == "general" and labour.parent == specialist
    from projects.selectors import chain

    assert [(u["role"], u["depth"]) for u in chain(project)] == [
        ("construction", 0),
        ("general", 0),
        ("specialist", 1),
        ("labour", 2),
    ]


def test_resident_id_check_is_fast_enough_for_a_million_line_file():
    """cases.values.resident_id_problem skips stdnum's birth-place look-up (2.5 ms a number): 5,000 numbers
    took about 12 s before, well under 2 s now."""
    import time

    from cases.values import resident_id_problem
    from tests.factories import person_id

    numbers = [person_id(n, prefix=f"3603021985{1 + n // 1000:02d}15") for n in range(5000)]
    started = time.perf_counter()
    assert all(resident_id_problem(number) is None for number in numbers)
    assert time.perf_counter() - started < 2.0


def test_department_names_as_departments_write_them():
    from projects.registry import project_validate

    body = {"project_no": "D-1", "name": "某项目", "region_code": "360302"}
    for written, key in [
        ("住建", "housing"),
        ("住房和城乡建设局", "housing"),
        ("交通运输", "transport"),
        ("交通局", "transport"),
        ("水利局", "water"),
        ("其他", "other"),
        ("water", "water"),
    ]:
        assert project_validate({**body, "department": written}).department == key, written
    with pytest.raises(ValidationError) as err:
        project_validate({**body, "department": "飞机"})
    assert list(err.value.message_dict) == ["department"]
