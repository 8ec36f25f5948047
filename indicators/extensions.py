"""Extension points the lead wires after merging the apps built beside this one (layers: indicators above
earlywarning above deposits above projects). Nothing here imports them.

1. Share with a wage deposit (deposits): a figure over projects, registered in the projects layer so that the
   project list filters by it too. In deposits' AppConfig.ready():

       from projects.coverage import register_figure
       register_figure("deposit", _("工资保证金"), lambda month: Q(Exists(Deposit.objects.filter(
           project=OuterRef("pk"), paid_on__lte=month_end(month)) ...)))

   The indicators then count it (snapshot `counts`), show it as a share on the page, the API and the report,
   and link it to the project list (a target for it: a field of CoverageTarget and targets.TARGET_FIELDS).

2. Open warning signals by level (earlywarning): a live count per region, set here, e.g. in
   earlywarning's AppConfig.ready() or workflows.wiring:

       from indicators import extensions
       extensions.open_signals = lambda region_ids: {region_id: {"red": n, ...}}  # one grouped query
       extensions.signal_list_url = lambda region_code, level, own: reverse(...) + "?region=..&level=..&own=.."

   The page, the API and the report then add one column per level (SIGNAL_LEVELS), rolled up like the rest.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

# region ids → {region id: {level: number of open signals}}; None until earlywarning is wired
open_signals: Callable[[list[int]], dict[int, dict[str, int]]] | None = None
# (region code, level, own office only) → the URL of the list of those signals (own=False: the region and every
# region below); None: the figures are shown without a link
signal_list_url: Callable[[str, str, bool], str] | None = None
SIGNAL_LEVELS = (("yellow", _("黄色预警")), ("orange", _("橙色预警")), ("red", _("红色预警")))
