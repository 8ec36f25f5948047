"""The monthly wage check on demand: `manage.py check_projects --month 2026-05 [--region 360302]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from earlywarning.checks.run import month_of, projects_check


class Command(BaseCommand):
    help = "对在建项目执行月度工资支付检查（幂等：重复运行更新同一预警）"

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--region", default="", help="区划代码（含下级）")

    def handle(self, *args, month, region, **options):
        try:
            first = month_of(month)
        except (ValueError, TypeError):
            raise CommandError("--month 应为 YYYY-MM") from None
        step = [0]

        def progress(done: int, total: int) -> None:
            if done == total or done - step[0] >= 100:
                step[0] = done
                self.stdout.write(f"  {done}/{total}")

        try:
            result = projects_check(month=first, region_code=region or None, progress=progress)
        except ValueError:
            raise CommandError(f"没有区划代码为 {region} 的机构") from None
        outcomes = ", ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items())) or "no signals"
        self.stdout.write(self.style.SUCCESS(f"{first:%Y-%m}: {result.projects} projects checked; {outcomes}"))
