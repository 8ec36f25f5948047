"""The staff site's menu and each role's start page, built from the scope rules (cases.scope rights).

A link is in a user's menu exactly when the page behind it lets that user in: each entry's test is the
one its view makes (the same right asked of cases.scope, the same role, the same administration check).
No entry of viewflow's own (its "Applications" block) is drawn: the site's menu template is ours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arbitration import scope as arbitration_scope
from assessment import scope as assessment_scope
from campaigns import scope as campaign_scope
from cases import accounts, configuration, scope
from cases.models import Role
from deposits import scope as deposit_scope
from indicators import scope as indicator_scope
from inspections import scope as inspection_scope
from jointmeeting import scope as joint_scope
from projects import scope as project_scope
from reviews import scope as review_scope

ACTING_ROLES = {Role.CLERK, Role.INSPECTOR, Role.LEGAL, Role.LEADER}


def _any_step(user) -> bool:
    """The inbox and the queue: for whoever acts on flow steps — the roles that do (an inspector before
    its first assignment too) or a per-case grant (a helper); not the auditor, not the admin."""
    from .selectors import step_rights

    return bool(scope.roles(user) & ACTING_ROLES) or any(scope.holds_anywhere(user, r) for r in step_rights())


def _holds(right: scope.Right) -> Callable[[object], bool]:
    return lambda user: scope.holds_anywhere(user, right)


READ_COMPLAINT = scope.Right.READ_COMPLAINT


def _inspects(user) -> bool:
    """My cases: the cases an inspector is assigned to (or, as a helper, has a grant on)."""
    return scope.has_role(user, Role.INSPECTOR)


def _leader(user) -> bool:
    return scope.has_role(user, Role.LEADER)


def _register(user) -> bool:
    """The accountability register and the publications: leaders and auditors (their subtree)."""
    return any(g.subtree for g in scope.grants(user))


def _projects(user) -> bool:
    """The construction projects: the bureau's staff of a region and the industry departments (projects.scope)."""
    return project_scope.reads_anywhere(user)


def _joint(user) -> bool:
    """The joint meeting's workbench: its office (a bureau leader or an office seat), a department, the police."""
    return joint_scope.sees_matters(user) or joint_scope.is_police(user)


def _administers(user) -> bool:
    return accounts.administers(user)


def _configures(user) -> bool:
    return configuration.configures(user)


@dataclass(frozen=True)
class Entry:
    key: str
    label: Promise
    icon: str
    url_name: str
    allowed: Callable[[object], bool]
    query: str = ""  # a filter of the page (?mine=1: my cases)

    def url(self) -> str:
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


GROUPS: list[tuple[Promise, list[Entry]]] = [
    (
        _("办理"),
        [
            Entry("inbox", _("我的待办"), "inbox", "tasks:inbox", _any_step),
            Entry("queue", _("待领取"), "playlist_add", "tasks:queue", _any_step),
            Entry("my-cases", _("我的案件"), "assignment_ind", "cases:index", _inspects, "mine=1"),
            Entry("leader", _("审批与超期"), "priority_high", "tasks:leader", _leader),
            Entry("complaints", _("投诉受理"), "record_voice_over", "complaints:index", _holds(READ_COMPLAINT)),
            Entry("complaint-new", _("登记投诉"), "add_call", "complaints:new", _holds(scope.Right.INTAKE)),
            Entry("complaint-import", _("批量导入"), "upload_file", "complaints:import", _holds(scope.Right.INTAKE)),
        ],
    ),
    (
        _("仲裁与法律援助"),
        [
            Entry("referrals", _("转介案件"), "balance", "arbitration:index", arbitration_scope.is_office_user),
        ],
    ),
    (
        _("查询统计"),
        [
            Entry("cases", _("案件查询"), "folder_shared", "cases:index", _holds(scope.Right.READ_CASE)),
            Entry("dashboard", _("统计分析"), "bar_chart", "cases:dashboard", _holds(scope.Right.READ_CASE)),
            Entry("audit", _("审计查询"), "policy", "cases:audit", scope.may_search_events),
        ],
    ),
    (
        _("在建工程"),
        [
            Entry("projects", _("在建工程项目"), "construction", "projects:index", _projects),
            Entry("warnings", _("欠薪预警"), "notification_important", "earlywarning:index", _projects),
            Entry("inspections", _("双随机抽查"), "shuffle", "inspections:index", inspection_scope.reads_anywhere),
            Entry("my-inspections", _("我的检查"), "fact_check", "inspections:mine", inspection_scope.is_inspector),
            Entry("campaigns", _("专项行动"), "flag", "campaigns:index", campaign_scope.reads_anywhere),
            Entry("reviews", _("年度书面审查"), "assignment_turned_in", "reviews:index", review_scope.reads_anywhere),
            Entry("coverage", _("覆盖率指标"), "donut_large", "indicators:coverage", indicator_scope.may_open),
            Entry("deposits", _("工资保证金"), "savings", "deposits:index", _projects),
            Entry("wage-fund", _("应急周转金"), "account_balance", "deposits:funds", deposit_scope.reads_funds),
        ],
    ),
    (
        _("联席会议"),
        [
            Entry("joint", _("联席会议工作台"), "groups", "jointmeeting:home", _joint),
            Entry("joint-matters", _("督办约谈事项"), "flag_circle", "jointmeeting:matters", joint_scope.sees_matters),
            Entry(
                "joint-referrals", _("移送公安案件"), "local_police", "jointmeeting:referrals", joint_scope.is_police
            ),
            Entry("joint-funding", _("政府投资项目资金"), "payments", "jointmeeting:funding", joint_scope.sees_funding),
        ],
    ),
    (
        _("问责与惩戒"),
        [
            Entry("register", _("问责台账"), "gavel", "accountability-staff:register", _register),
            Entry("publications", _("违法行为公布"), "campaign", "accountability-staff:publication-list", _register),
            Entry(
                "credit-list",
                _("失信联合惩戒名单"),
                "block",
                "accountability-staff:credit-list",
                _holds(scope.Right.READ_CASE),
            ),
            Entry("assessment", _("年度考核"), "grading", "assessment:index", assessment_scope.may_open),
            Entry("circulars", _("考核通报"), "campaign", "assessment:circulars", assessment_scope.reads_circulars),
        ],
    ),
    (
        _("系统管理"),
        [
            Entry("accounts", _("账号管理"), "manage_accounts", "staff-admin:accounts", _administers),
            Entry("roles", _("岗位授权"), "badge", "admin:cases_staffrole_changelist", _administers),
            Entry(
                "member-roles", _("联席会议成员单位岗位"), "badge", "admin:jointmeeting_memberrole_changelist",
                _administers,
            ),
            Entry("regions", _("行政区划"), "account_tree", "admin:cases_region_changelist", _administers),
            Entry("province", _("省级参数"), "tune", "admin:cases_provinceconfig_changelist", _configures),
            Entry(
                "warning-config", _("欠薪预警参数"), "tune", "admin:earlywarning_warningconfig_changelist", _configures
            ),
            Entry("workdays", _("工作日调整"), "event", "admin:cases_workdayoverride_changelist", _configures),
            Entry(
                "coverage-targets", _("覆盖率目标"), "flag", "admin:indicators_coveragetarget_changelist", _configures
            ),
            Entry(
                "deposit-rates", _("保证金比例表"), "percent", "admin:deposits_depositratetable_changelist", _configures
            ),
            Entry(
                "arbitration-config",
                _("仲裁与法律援助参数"),
                "tune",
                "admin:arbitration_arbitrationconfig_changelist",
                _configures,
            ),
            Entry(
                "office-roles", _("仲裁委/法援岗位"), "badge", "admin:arbitration_officerole_changelist", _administers
            ),
            Entry(
                "campaign-config", _("专项行动参数"), "tune", "admin:campaigns_campaignconfig_changelist", _configures
            ),
            Entry(
                "joint-config", _("督办约谈参数"), "tune", "admin:jointmeeting_jointmeetingconfig_changelist",
                _configures,
            ),
            Entry(
                "assessment-config", _("考核参数"), "tune", "admin:assessment_assessmentconfig_changelist", _configures
            ),
        ],
    ),
]

# Where each role starts (the first of these the user may open): SPEC §7's screens, one per role.
LANDING: list[tuple[str, str]] = [
    (Role.LEADER, "leader"),
    (Role.CLERK, "queue"),
    (Role.INSPECTOR, "inbox"),
    (Role.LEGAL, "queue"),
    (Role.AUDITOR, "audit"),
    (Role.ADMIN, "accounts"),
]
ENTRIES = {entry.key: entry for _label, entries in GROUPS for entry in entries}


def entries_for(user) -> list[Entry]:
    """The entries `user` may open, in menu order."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_zhiqian_menu", None)
    if cached is None:
        cached = [entry for _label, entries in GROUPS for entry in entries if entry.allowed(user)]
        user._zhiqian_menu = cached
    return cached


def menu_for(user, path: str = "") -> list[dict]:
    """The menu's groups, each with its links: label, icon, url, active (the page being shown)."""
    allowed = {entry.key for entry in entries_for(user)}
    groups = []
    for label, entries in GROUPS:
        links = []
        for entry in entries:
            if entry.key in allowed:
                url = entry.url()
                links.append({"key": entry.key, "label": entry.label, "icon": entry.icon, "url": url})
        if links:
            groups.append({"label": label, "links": links})
    # the link of the page shown: the longest url the path starts with
    best = max((link for g in groups for link in g["links"] if path.startswith(link["url"].split("?")[0])),
               key=lambda link: len(link["url"]), default=None)  # fmt: skip
    for group in groups:
        for link in group["links"]:
            link["active"] = link is best
    return groups


def landing_url(user) -> str | None:
    """The start page of the user's first role that has one (a leader's screen before its inbox …)."""
    allowed = {entry.key for entry in entries_for(user)}
    held = scope.roles(user)
    for role, key in LANDING:
        if (role in held or (role == Role.ADMIN and getattr(user, "is_superuser", False))) and key in allowed:
            return ENTRIES[key].url()
    # a department of the joint meeting (industry, finance, development, police, a government, the office)
    if "joint" in allowed:
        return ENTRIES["joint"].url()
    first = next(iter(entries_for(user)), None)
    return first.url() if first else None
