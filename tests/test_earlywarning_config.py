"""The province's early-warning numbers: defaults from the references, saved by the province administrator
through the admin page (one event with the changes), refused to anyone else."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from cases.models import Region, Role, TimelineEvent
from earlywarning.config import config_for, warning_config_save
from earlywarning.models import WarningConfig
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_defaults_are_the_references():
    config = config_for(Region.objects.get(code="360302"))
    assert config.pk is None
    numbers = (config.labour_cost_day, config.labour_cost_red_days, config.unpaid_red_workers,
               config.unpaid_red_share, config.shortfall_red_amount, config.account_due_days)  # fmt: skip
    assert numbers == (10, 10, 10, 30, Decimal("100000"), 30)


def test_admin_page_saves_through_the_service():
    admin = staff(Role.ADMIN, "360000")
    province = Region.objects.get(code="360000")
    c = Client()
    c.force_login(admin)
    assert c.get("/admin/earlywarning/warningconfig/add/").status_code == 200
    data = {f.name: f.default for f in WarningConfig._meta.fields if f.name not in ("id", "province")}
    data.update({"province": province.pk, "minimum_wage_monthly": "2100.00", "general_pays_subcontractors": "on"})
    response = c.post("/admin/earlywarning/warningconfig/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert config_for(Region.objects.get(code="360302")).minimum_wage_monthly == Decimal("2100.00")
    event = TimelineEvent.objects.filter(region=province, kind="config.warning_changed").get()
    assert event.data["changes"]["minimum_wage_monthly"] == ["2000", "2100.00"]
    inspector = staff(Role.INSPECTOR)
    c.force_login(inspector)
    assert c.get("/admin/earlywarning/warningconfig/").status_code in (302, 403)
    with pytest.raises(ValidationError):
        warning_config_save(actor=inspector, province=province, values={"pay_day": 5})
