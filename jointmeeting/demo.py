"""Demo of the joint meeting: a police user and a finance user of 安源区 (and the city's finance), a 督办 from the
安源区 office to its finance department in progress (one report), a 约谈 to its housing department and a 督办 to
its police just issued.
Through the same services the pages use; idempotent."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model

from cases.models import Region

from .models import Matter
from .roles import member_role_grant
from .services import matter_issue, matter_report

LOGINS = [("police", "360302"), ("finance", "360302"), ("finance", "360300")]
SUBJECT = "督促按期拨付安源区政府投资项目人工费用"


def joint_seed(*, password: str | None, progress: Callable[[str], object] = print) -> list[tuple[str, str, str]]:
    users = get_user_model().objects
    out = []
    for department, code in LOGINS:
        region = Region.objects.get(code=code)
        username = f"{department}_{code}"
        user = users.filter(username=username).first()
        if user is None:
            user = get_user_model()(username=username)
            user.set_password(password) if password else user.set_unusable_password()
            user.save()
        member_role_grant(actor=None, user=user, region=region, department=department)
        out.append((username, f"joint:{department}", f"{region.name}（{code}）"))
    if not Matter.objects.filter(subject=SUBJECT).exists():
        county = Region.objects.get(code="360302")
        leader = users.get(username="leader_360302")
        matter = matter_issue(
            actor=leader, office_region=county, kind=Matter.Kind.SUPERVISION, subject=SUBJECT,
            description="两个政府投资项目人工费用逾期未拨付，请财政部门于期限内拨付并报告。",
            addressee_department="finance", addressee_region=county,
        )  # fmt: skip
        matter_report(matter=matter, actor=users.get(username="finance_360302"),
                      text="已拨付其中一个项目的人工费用，另一个项目资金正在审批。")  # fmt: skip
        matter_issue(
            actor=leader, office_region=county, kind=Matter.Kind.INTERVIEW,
            subject="约谈拖欠工资项目的建设单位主管部门", addressee_department="housing", addressee_region=county,
        )  # fmt: skip
        matter_issue(
            actor=leader, office_region=county, kind=Matter.Kind.SUPERVISION,
            subject="督促对恶意欠薪逃匿的包工头依法立案查处", addressee_department="police", addressee_region=county,
            description="人社部门已移送的涉嫌拒不支付劳动报酬案件，请依法及时作出立案决定并报告。",
        )  # fmt: skip
        progress(f"  督办 {matter.pk}: {matter.get_status_display()}")
    return out
