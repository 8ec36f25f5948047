"""Regions (GB/T 2260) and the staff roles held at them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative division (GB/T 2260). `path` makes a subtree one prefix query."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("设区市")
        COUNTY = "county", _("县/市/区")

    code = models.CharField(_("区划代码"), max_length=6, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=8, choices=Level)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # e.g. "36/3603/360302/"; db_index on a CharField also gives a LIKE index on PostgreSQL.
    path = models.CharField(_("路径"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @staticmethod
    def path_segment(code: str, level: str) -> str:
        return {"province": code[:2], "city": code[:4]}.get(level, code)


class Role(models.TextChoices):
    CLERK = "clerk", _("受理员")
    INSPECTOR = "inspector", _("监察员")
    LEGAL = "legal", _("法制审核员")
    LEADER = "leader", _("负责人")
    AUDITOR = "auditor", _("审计/纪检")
    ADMIN = "admin", _("系统管理员")


class StaffRole(models.Model):
    """A role held by a user at a region: (user, region, role). A user may hold several."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="staff_roles")
    role = models.CharField(_("角色"), max_length=16, choices=Role)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("岗位")
        verbose_name_plural = _("岗位")
        constraints = [models.UniqueConstraint(fields=["user", "region", "role"], name="staffrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region.name}"
