"""The texts of the penalty procedure: the rights paragraph of the 行政处罚告知书 (the province's statement window,
the hearing-request window when the proposed fine reaches the hearing threshold), the 听证通知书, and the causes an
order to correct names. Always in Chinese (the documents themselves)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation

from ..models import VIOLATED, CaseCause, Document, Violation
from .context import Context, as_lines
from .kinds import APL


def _chinese_count(n: int) -> str:
    digits = "零一二三四五六七八九十"
    return digits[n] if 0 <= n <= 10 else str(n)


def penalty_rights_lines(c: Context) -> list[str]:
    """陈述、申辩 within the statement window; 听证 within five working days when the party has that right."""
    d = c.data
    basis = str(d.get("basis_title") or "")
    lines = [f"处罚依据：{basis}。"] if basis else []
    if "statement_wd" not in d:  # a notice issued outside the penalty procedure
        return lines + [
            f"根据{APL}第四十四条、第四十五条的规定，你单位有权进行陈述和申辩；符合{APL}第六十三条规定情形的，"
            "有权要求举行听证。请于收到本告知书之日起五个工作日内向本局提出；逾期未提出的，视为放弃上述权利。"
        ]
    wd = _chinese_count(int(d["statement_wd"]))
    lines.append(
        f"根据{APL}第四十四条、第四十五条的规定，你单位有权进行陈述和申辩，请于收到本告知书之日起{wd}个工作日内"
        "向本局书面提出或者到本局口头提出；逾期未提出的，视为放弃陈述和申辩的权利。"
    )
    if d.get("hearing_right"):
        lines.append(
            f"拟罚款数额达到本省规定的较大数额，根据{APL}第六十三条、第六十四条的规定，你单位有权要求举行听证，"
            "请于收到本告知书之日起五个工作日内提出；逾期未提出的，视为放弃听证的权利。"
        )
    lines.append("你单位也可以书面声明放弃上述权利。")
    return lines


def _hearing_notice(c: Context) -> list[str]:
    d = c.data
    return [
        f"你单位于{d.get('requested_on', '')}要求就本局拟作出的行政处罚（告知书文号：{d.get('notice_number', '')}）"
        "举行听证。根据《中华人民共和国行政处罚法》第六十四条的规定，本局定于"
        f"{d.get('when', '')}在{d.get('place', '')}举行听证，请你单位法定代表人或者委托代理人准时参加。",
        "委托代理人参加的，应当提交授权委托书。你单位认为主持人与本案有直接利害关系的，有权申请回避。"
        "无正当理由拒不出席听证或者未经许可中途退出听证的，视为放弃听证权利。",
    ]


def causes_lines(c: Context) -> list[str]:
    """The case's causes (CaseCause) with the provisions they break, as an order to correct names them."""
    causes = list(CaseCause.objects.filter(case=c.case, removed_at__isnull=True).order_by("id"))
    if not causes:
        return [f"违法行为：{line}" for line in as_lines(c.data.get("causes"))]
    lines = ["经查，你单位存在下列违法行为："]
    for i, cause in enumerate(causes, 1):
        provision = VIOLATED.get(cause.violation, ("", ""))[0]
        with translation.override("zh-hans"):
            label = str(Violation(cause.violation).label) if cause.violation in Violation.values else cause.violation
        note = f"（{cause.note}）" if cause.note else ""
        lines.append(f"{i}．{label}{note}，违反了{provision}的规定；")
    return lines


PENALTY_BODIES: dict[str, Callable[[Context], list[str]]] = {Document.Kind.HEARING_NOTICE: _hearing_notice}
