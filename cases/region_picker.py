"""The region picker (issue 14 item 7): people pick a region by its name, never type a code.

`RegionField` renders as a plain <select> of the regions the person may pick, indented province → city →
county (works without JavaScript). `zhiqian/region-picker.js` turns it into a search box with suggestions
from the region tree's JSON endpoint (staff: cases:regions, their scope; public: public:regions, the
province): typing 萍乡 offers 萍乡市 and its counties. Whatever arrives — a code from the select, a name or a
full name from the box — is resolved by cases.regions.regions_named within the allowed regions; a name that
names none, or several, is an error naming the field. The cleaned value is the six-digit code ("" if blank).

    form.fields["region"] = RegionField(label=_("承办机构"), required=False)
    form.fields["region"].limit_to(regions_visible(request.user), source=reverse("cases:regions"))
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from .models import Region
from .regions import region_labels, regions_named

INDENT = "\u3000"  # one ideographic space a level below the top of the list
CHOICES_LIMIT = 2000  # more regions than this (all of China): the select lists none, the search box remains


def province_tree() -> str:
    """The staff tree of the whole province (cases:regions?scope=province): the list of the forms that send a
    complaint or a case elsewhere in the province (transfer, designation, a proactive case's office)."""
    from django.urls import reverse

    return reverse("cases:regions") + "?scope=province"


class RegionSelect(forms.Select):
    """A <select> the picker script enhances (data-region-picker, data-source: the JSON endpoint)."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"data-region-picker": "1", "data-placeholder": _("输入名称查找，如 萍乡"), **(attrs or {})}
        )

    def format_value(self, value):
        return [str(value)] if value not in (None, "") else [""]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if value not in (None, ""):
            context["widget"]["attrs"]["data-value"] = str(value)  # what was typed, for the search box
        return context


class RegionField(forms.Field):
    widget = RegionSelect
    default_error_messages = {
        "unknown": _("%(field)s：没有找到名为“%(value)s”的行政区划，请从列表中选择（可输入名称，如 萍乡市、安源区）。"),
        "ambiguous": _("%(field)s：“%(value)s”对应多个行政区划（%(names)s），请从列表中选择其一。"),
    }

    def __init__(
        self, *, regions: QuerySet[Region] | None = None, source: str = "", blank_label="", max_length=60, **kwargs
    ):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.max_length = max_length
        self.blank_label = blank_label or _("全部")
        self.limit_to(regions if regions is not None else Region.objects.all(), source=source)

    def limit_to(self, regions: QuerySet[Region], *, source=None) -> None:
        """The regions that may be picked (and listed), and the JSON endpoint the script reads. Unlimited:
        any region (a list's own scope still decides what it shows)."""
        self.regions = regions
        if source:
            self.widget.attrs["data-source"] = str(source)
        self.widget.choices = _LazyChoices(self)

    def to_python(self, value) -> str:
        text = str(value or "").strip()[: self.max_length]
        if not text:
            return ""
        found = regions_named(text, self.regions)
        if not found:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"field": self.label, "value": text[:40]}
            )
        if len(found) > 1:
            labels = region_labels(found[:5])
            names = "、".join(labels[r.pk] for r in found[:5])
            raise forms.ValidationError(
                self.error_messages["ambiguous"],
                code="ambiguous",
                params={"field": self.label, "value": text[:40], "names": names},
            )
        return found[0].code


class _LazyChoices(BaseChoiceIterator):
    """The select's options, read from the database only when the field is rendered."""

    def __init__(self, field: RegionField):
        self.field = field

    def __iter__(self):
        yield ("", self.field.blank_label)
        regions = list(self.field.regions.order_by("path", "code")[: CHOICES_LIMIT + 1])
        if len(regions) > CHOICES_LIMIT:
            return
        top = min((r.path.count("/") for r in regions), default=0)
        for region in regions:
            yield (region.code, INDENT * (region.path.count("/") - top) + region.name)
