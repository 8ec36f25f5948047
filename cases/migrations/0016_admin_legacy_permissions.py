"""Take back the Django model permissions the old staff_create gave every administrator.

Before the admin-scope fix, each account holding the role `admin` was given Django's global add/change/
delete/view permissions on users, groups, staff roles and regions, which let a county administrator
give itself a province role. Nothing reads them any more (the admin consults cases.accounts), but an
account holding them counts as one "a superuser gave Django permissions" and so could be managed by
no administrator: they are removed here from every account holding the admin role.
"""

from django.db import migrations

GRANTED = {"auth": ["user", "group"], "cases": ["staffrole", "region"]}


def revoke_legacy_admin_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    StaffRole = apps.get_model("cases", "StaffRole")
    User = apps.get_model("auth", "User")
    wanted = Permission.objects.none()
    for app_label, models in GRANTED.items():
        wanted = wanted | Permission.objects.filter(content_type__app_label=app_label, content_type__model__in=models)
    permission_ids = list(wanted.values_list("pk", flat=True))
    admin_ids = StaffRole.objects.filter(role="admin").values_list("user_id", flat=True).distinct()
    through = User.user_permissions.through
    through.objects.filter(user_id__in=admin_ids, permission_id__in=permission_ids).delete()


class Migration(migrations.Migration):
    dependencies = [("cases", "0015_notification_claim"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(revoke_legacy_admin_permissions, migrations.RunPython.noop)]
