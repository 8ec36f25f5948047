"""The texts of the wage guarantee deposit's documents on a case (DEP2021; WPR arts 32-33): the notice to the
bank to pay the workers from the deposit, and the order to the contractor to top the deposit up. Always in
Chinese (the documents themselves). The facts come in `data` from the deposits app's services."""

from __future__ import annotations

from collections.abc import Callable

from ..models import Document
from ..values import yuan_text
from .context import Context, amount_or, due_text

DEP2021 = "《工程建设领域农民工工资保证金规定》"


def _draw_notice(c: Context) -> list[str]:
    d = c.data
    amount = amount_or(d.get("amount"), c.outstanding)
    return [
        f"{d.get('contractor', c.employer.name)}在“{d.get('project', '')}”项目存储的农民工工资保证金"
        f"（{d.get('form_label', '')}，{d.get('reference', '')}），经本局查实，该项目{c.employer.name}拖欠下表所列"
        f"劳动者工资，经责令限期支付逾期仍未支付。",
        f"根据{DEP2021}及《保障农民工工资支付条例》第三十二条、第三十三条的规定，请你行自收到本通知书之日起"
        f"5个工作日内（{due_text(c)}前），从上述保证金中向下表所列劳动者本人账户支付工资共计{yuan_text(amount)}，"
        "并将支付凭证报送本局。该保证金除用于清偿本项目农民工工资外，不得挪作他用。",
    ]


def _topup_order(c: Context) -> list[str]:
    d = c.data
    amount = amount_or(d.get("amount"), c.outstanding)
    return [
        f"本局已动用你单位在“{d.get('project', '')}”项目存储的农民工工资保证金{yuan_text(amount)}，"
        "用于支付该项目被拖欠的农民工工资。",
        f"根据{DEP2021}的规定，责令你单位自收到本通知书之日起10个工作日内（{due_text(c)}前）"
        f"将保证金补足至{yuan_text(amount_or(d.get('required'), amount))}。逾期未补足的，本局将依法处理。",
    ]


DEPOSIT_BODIES: dict[str, Callable[[Context], list[str]]] = {
    Document.Kind.DEPOSIT_DRAW_NOTICE: _draw_notice,
    Document.Kind.DEPOSIT_TOPUP_ORDER: _topup_order,
}
