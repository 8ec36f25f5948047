"""bench.intake's data: realistic, varied complaint bodies (seeded) over Jiangxi's regions, the clerks they
route to, and the open cases of the "hot" sites, filed before the clock starts."""

from __future__ import annotations

import io
import random
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from bench.common import fresh_user, log
from bench.ids import USCC_CHARS, org_code, resident_id, uscc_code

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强文斌海燕红梅小龙春生金凤玉兰德胜国"
    "庆永红宏伟水根火旺细妹冬生"
)
FIRM_A = "恒达鸿运宏图鑫源华信金鼎锦程瑞丰隆盛永安盛世兴业广厦天成宏达中鼎博远嘉禾润泽聚贤福海安居顺发"
FIRM_B = "建筑建设建工路桥市政园林装饰劳务钢构水电"
FIRM_KIND = ["工程有限公司", "集团有限公司", "有限责任公司", "工程有限责任公司", "建设有限公司"]
PROJECT_A = "锦绣阳光翠湖滨江幸福和谐紫荆凤凰金色碧桂书香江南东方新城"
PROJECT_KIND = [
    "安置房项目",
    "棚户区改造项目",
    "商住楼工程",
    "学校建设项目",
    "道路改造工程",
    "标准厂房项目",
    "人民医院住院楼工程",
    "污水管网工程",
    "保障性住房项目",
    "产业园一期工程",
]
ROADS = [
    "建设路",
    "人民路",
    "解放路",
    "胜利路",
    "中山路",
    "跃进路",
    "滨江大道",
    "迎宾大道",
    "学府路",
    "工业大道",
    "公园路",
    "环城路",
    "昌盛路",
    "八一大道",
]
PLACES = ["城南片区", "高新区某地块", "工业园", "经济开发区", "老城区改造片区"]
DESCRIPTIONS = [
    "{project}自{start}起拖欠{workers}名农民工工资共计{amount}元，多次讨要未果。",
    "工程完工后总包单位以未收到工程款为由拖欠工资，涉及{workers}人，金额{amount}元。",
    "劳务班组长失联，{workers}名工人{start}以来的工资{amount}元无人支付。",
    "项目停工，施工单位拖欠{workers}名工人工资{amount}元，承诺多次未兑现。",
]


def make_uscc(rnd: random.Random, area: str) -> str:
    head = "91" + area + org_code("".join(rnd.choice(USCC_CHARS) for _ in range(8)))
    return uscc_code(head.replace("X", "Y"))  # (an org-code check X made Y, as before)


def make_id_number(rnd: random.Random, area: str) -> str:
    born = date(1962, 1, 1) + timedelta(days=rnd.randrange(40 * 365))
    return resident_id(f"{area}{born:%Y%m%d}{rnd.randrange(1000):03d}")


def make_phone(rnd: random.Random) -> str:
    return f"1{rnd.choice('3456789')}{rnd.randrange(10**9):09d}"


@dataclass
class Site:
    """One employer + project, and where its complaints are routed from."""

    employer: dict
    project: dict | None
    region_code: str  # body's region_code ("" when routed by address)
    route_kind: str
    people: list = field(default_factory=list)  # complainants seen here (for repeats)
    hot: bool = False  # has an open case (filed before the clock starts): complaints are grouped


def _regions():
    from cases.models import Region

    rows = list(Region.objects.filter(code__startswith="36").order_by("code"))
    by_id = {r.pk: r for r in rows}
    counties = [r for r in rows if r.level == "county"]
    cities = [r for r in rows if r.level == "city"]
    city_of = {}
    for c in counties:
        parent = by_id.get(c.parent_id)
        city_of[c.code] = parent if parent is not None and parent.level == "city" else None
    return counties, cities, city_of


class World:
    """Bodies for one run: `n` complaints over sites in Jiangxi, seeded, names unique to the run."""

    ROUTE_MIX = [("code", 0.45), ("project_address", 0.30), ("employer_address", 0.15), ("city_pool", 0.10)]

    def __init__(self, *, n: int, run_tag: str, seed: int | str, hot_share: float = 0.2, repeat_share: float = 0.12):
        self.rnd = rnd = random.Random(seed)
        self.run_tag = run_tag
        counties, cities, city_of = _regions()
        if not counties:
            raise SystemExit("no Jiangxi counties loaded (load_regions --province 360000)")
        rnd.shuffle(counties)
        self.counties = counties
        self.county_weights = [1 / (i + 1) ** 0.8 for i in range(len(counties))]  # a few big counties
        self.city_of = city_of
        self.cities = cities
        self.used_names: set[str] = set()
        n_sites = max(10, n // 3)
        self.sites = [self._site() for _ in range(n_sites)]
        n_hot = max(3, int(n * 0.02))
        for site in self.sites[:n_hot]:
            site.hot = True
        self.hot = self.sites[:n_hot]
        self.cold = self.sites[n_hot:]
        self.hot_share, self.repeat_share = hot_share, repeat_share
        self.bodies: list[tuple[str, dict]] = []
        for i in range(n):
            self.bodies.append((f"bench:{run_tag}:{i}", self._body()))

    # --- names -------------------------------------------------------------------------------
    def _unique(self, make) -> str:
        for _ in range(1000):
            name = make()
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("name space exhausted")

    def _county(self):
        return self.rnd.choices(self.counties, weights=self.county_weights)[0]

    def _address(self, county, *, province: bool = False) -> str:
        city = self.city_of.get(county.code)
        prefix = ("江西省" if province else "") + (city.name if city else "")
        return f"{prefix}{county.name}{self.rnd.choice(ROADS)}{self.rnd.randrange(1, 300)}号"

    def _site(self) -> Site:
        rnd = self.rnd
        county = self._county()
        city = self.city_of.get(county.code)
        home = self._county() if rnd.random() < 0.3 else county  # employer registered elsewhere sometimes
        home_city = self.city_of.get(home.code)
        place = home_city.name[:-1] if home_city else home.name[:-1]  # 萍乡 (市), 安源 (区)
        firm = self._unique(
            lambda: f"{place}{rnd.choice(FIRM_A)}{rnd.choice(FIRM_A)}{rnd.choice(FIRM_B)}{rnd.choice(FIRM_KIND)}"
        )
        firm = f"{firm}（{self.run_tag}）"  # unique to the run: every run has the same mix of new / known
        employer = {"name": firm, "address": self._address(home, province=rnd.random() < 0.5)}
        if rnd.random() < 0.75:
            employer["uscc"] = make_uscc(rnd, home.code)
        kind = rnd.choices([k for k, _ in self.ROUTE_MIX], weights=[w for _, w in self.ROUTE_MIX])[0]
        pname = self._unique(
            lambda: f"{(city.name[:-1] if city else county.name[:-1])}"
            f"{rnd.choice(PROJECT_A)}{rnd.choice(PROJECT_A)}{rnd.choice(PROJECT_KIND)}"
            f"{rnd.randrange(1, 9)}期"
        )
        pname = f"{pname}（{self.run_tag}）"
        project: dict | None = {"name": pname, "address": self._address(county)}
        region_code = ""
        if kind == "code":
            region_code = county.code
        elif kind == "employer_address":
            employer["address"] = self._address(county, province=True)
            project = None if rnd.random() < 0.4 else {"name": pname, "address": ""}
        elif kind == "city_pool":
            if city is None:  # a county directly under the province: use its code
                kind, region_code = "code", county.code
            else:
                region_code = city.code
                project = {"name": pname, "address": f"{city.name}{rnd.choice(PLACES)}"}
                employer["address"] = f"{city.name}{rnd.choice(ROADS)}{rnd.randrange(1, 300)}号"
        return Site(employer=employer, project=project, region_code=region_code, route_kind=kind)

    def person(self) -> dict:
        rnd = self.rnd
        given = rnd.choice(GIVEN) + (rnd.choice(GIVEN) if rnd.random() < 0.7 else "")
        return {
            "name": rnd.choice(SURNAMES) + given,
            "id_number": make_id_number(rnd, self._county().code),
            "phone": make_phone(rnd),
        }

    def body_for(self, site: Site, person: dict) -> dict:
        rnd = self.rnd
        today = date.today()
        stale = rnd.random() < 0.02
        end = today - timedelta(days=rnd.randrange(800, 1200) if stale else rnd.randrange(1, 300))
        start = end - timedelta(days=rnd.randrange(30, 400))
        workers = rnd.choice([1, 1, 1, 2, 3, 5, 8, 12, 20, 35, 60])
        amount = Decimal(workers * rnd.randrange(2500, 15000)) + Decimal(rnd.randrange(100)) / 100
        body = {
            "channel": "web",
            "complainant": dict(person),
            "employer": dict(site.employer),
            "region_code": site.region_code,
            "workers_count": workers,
            "amount_owed": f"{amount:.2f}",
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "description": rnd.choice(DESCRIPTIONS).format(
                project=site.project["name"] if site.project else "该项目",
                start=f"{start:%Y年%m月}",
                workers=workers,
                amount=f"{amount:.2f}",
            ),
        }
        if site.project is not None:
            body["project"] = dict(site.project)
        return body

    def _body(self) -> dict:
        rnd = self.rnd
        site = rnd.choice(self.hot) if rnd.random() < self.hot_share else rnd.choice(self.cold)
        if site.people and rnd.random() < self.repeat_share * 2:  # ~repeat_share of all bodies
            person = rnd.choice(site.people)  # the same person again at the same employer: duplicate flag
        else:
            person = self.person()
            site.people.append(person)
        return self.body_for(site, person)


# ---------------------------------------------------------------------------------------------
# Setup: migrate, regions, clerks, seed cases
# ---------------------------------------------------------------------------------------------


def setup_database() -> dict:
    from django.core.management import call_command

    out = io.StringIO()
    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_regions", province="360000", stdout=out)
    from cases.models import Region

    log(
        f"migrate + load_regions: {time.perf_counter() - t:.1f}s ({out.getvalue().strip().splitlines()[-1].strip()}); "
        f"{Region.objects.filter(code__startswith='36').count()} Jiangxi regions"
    )
    from django.core.exceptions import ValidationError

    from cases import intake

    try:  # loads the in-process region index once: inherited by the forked clients
        intake.complaint_validate({"region_code": "360302"})
    except ValidationError:
        pass
    return {"regions": Region.objects.filter(code__startswith="36").count()}


def clerks_for(region_ids) -> dict[int, int]:
    """region id -> user id of a clerk there (created with staff_create if missing)."""
    from cases.models import Region, StaffRole
    from cases.services import staff_create

    have = dict(StaffRole.objects.filter(role="clerk", region_id__in=region_ids).values_list("region_id", "user_id"))
    created = 0
    for region in Region.objects.filter(pk__in=set(region_ids) - set(have)):
        user = staff_create(username=f"bench_clerk_{region.code}", region=region, role="clerk")
        have[region.pk] = user.pk
        created += 1
    if created:
        log(f"created {created} clerks")
    return have


def analyze() -> float:
    """ANALYZE the database: planner statistics as autovacuum keeps them in steady state (the bench
    inserts thousands of rows within minutes; stale statistics turn some look-ups into scans)."""
    from django.db import connection

    t = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return round(time.perf_counter() - t, 2)


def claim_and_complete(complaint, clerk_id, data):
    """As the REST API does (fresh user, task_for_user), untimed: used for seeding."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from workflows import selectors, services

    task_id = (
        Task.objects.filter(process__caseprocess__complaint=complaint, flow_task_type="HUMAN", status=STATUS.NEW)
        .values_list("pk", flat=True)
        .get()
    )
    user = fresh_user(clerk_id)
    services.task_assign(task=selectors.task_for_user(user, task_id), actor=user)
    user = fresh_user(clerk_id)
    return services.task_complete(task=selectors.task_for_user(user, task_id), actor=user, data=data)


def prepare_run(world: World) -> dict:
    """Clerks for every routed region; a filed (open) case at every hot site."""
    from cases import intake
    from workflows import services

    regions = {}
    for site in world.sites:
        clean = intake.complaint_validate(world.body_for(site, world.person()))
        region, basis = intake.complaint_route(clean)
        regions[region.pk] = region
    clerks = clerks_for(list(regions))
    t = time.perf_counter()
    for k, site in enumerate(world.hot):
        clean = intake.complaint_validate(world.body_for(site, world.person()))
        complaint, _ = services.intake_submit(
            actor=None, clean=clean, channel="web", idempotency_key=f"bench:{world.run_tag}:seed:{k}"
        )
        claim_and_complete(complaint, clerks[complaint.region_id], {"decision": "accept"})
    log(
        f"run {world.run_tag}: {len(world.sites)} sites, {len(regions)} regions, "
        f"{len(world.hot)} open cases filed at hot sites ({time.perf_counter() - t:.1f}s)"
    )
    return clerks
