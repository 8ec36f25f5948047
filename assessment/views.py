"""Pages of the assessment (考核): the list and the compute form, the score sheet (each figure opening the records
behind it) with its XLSX, the adjustment of a figure, review and finalisation, the records behind the figures no
other list filters, and the circulars. Thin views over assessment.scope and one service each."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases.models import Case, Deadline, Region
from cases.values import yuan
from cases.web.list_export import Column, xlsx_response

from . import pdf, scope, services
from .forms import AdjustForm, CircularForm, ComputeForm
from .indicators import INDICATORS, records_q
from .models import Assessment, Circular, Score


def _errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_list(request):
    qs = scope.assessments_visible(request.user).select_related("region").order_by("-year", "region__code")
    regions = scope.assessing_regions(request.user)
    form = ComputeForm(request.POST or None, regions=regions) if regions else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            region = Region.objects.get(code=form.cleaned_data["region"])
            try:
                assessment = services.assessment_compute(region=region, year=form.cleaned_data["year"],
                                                         actor=request.user)  # fmt: skip
            except ValidationError as e:
                _errors(form, e)
            else:
                messages.success(request, _("已测算考核得分。"))
                return redirect("assessment:detail", pk=assessment.pk)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "assessment/list.html", {"page": page, "form": form})


def _shown(value, money: bool) -> str:
    """A figure as people read it: money with thousands separators and fen, a count as a whole number."""
    if value is None:
        return ""
    return f"{yuan(value):,}" if money else f"{value.normalize():f}"


def _sheet(assessment: Assessment) -> list[dict]:
    """One row per assessed region: its grade and, per indicator, the score with the links behind its figures."""
    scores: dict[int, dict[str, Score]] = {}
    for score in assessment.scores.all():
        scores.setdefault(score.region_id, {})[score.indicator] = score
    rows = []
    for grade in assessment.grades.select_related("region", "accountability"):
        code = grade.region.code
        cells = []
        for ind in INDICATORS.values():
            s = scores.get(grade.region_id, {}).get(ind.key)
            if s is None:
                continue
            link = ind.link
            cells.append({
                "indicator": ind, "score": s,
                "numerator_url": link(code, assessment.year, "numerator") if link else None,
                "denominator_url": link(code, assessment.year, "denominator") if link else None,
                "rate": (s.numerator / s.denominator * 100) if s.denominator else None,
                "numerator": _shown(s.numerator, ind.money), "denominator": _shown(s.denominator, ind.money),
                "computed": _shown(s.computed_numerator, ind.money),
                "computed_of": _shown(s.computed_denominator, ind.money),
            })  # fmt: skip
        rows.append({"grade": grade, "cells": cells})
    return rows


@require_GET
@login_required
def assessment_detail(request, pk: int):
    assessment = scope.assessment_for(request.user, pk)
    circular = Circular.objects.filter(assessment=assessment).first()
    return render(request, "assessment/detail.html", {
        "assessment": assessment, "rows": _sheet(assessment), "indicators": list(INDICATORS.values()),
        "weights": assessment.config["weights"], "config": assessment.config,
        "can_act": scope.may_assess(request.user, assessment.region), "circular": circular,
    })  # fmt: skip


@require_GET
@login_required
def assessment_export(request, pk: int):
    assessment = scope.assessment_for(request.user, pk)
    grades = {g.region_id: g for g in assessment.grades.all()}
    weights = assessment.config["weights"]
    rows = assessment.scores.select_related("region").order_by("region__code", "id")
    columns = [
        Column("地区", lambda s: s.region.name),
        Column("指标", lambda s: str(INDICATORS[s.indicator].label), 20),
        Column("分子", lambda s: s.numerator),
        Column("分母", lambda s: s.denominator),
        Column("系统测算分子", lambda s: s.computed_numerator),
        Column("系统测算分母", lambda s: s.computed_denominator),
        Column("权重（分）", lambda s: weights[s.indicator]),
        Column("得分", lambda s: s.points),
        Column("调整理由", lambda s: s.adjust_reason, 30),
        Column("总分", lambda s: grades[s.region_id].total),
        Column("等次", lambda s: grades[s.region_id].grade, 8),
    ]
    return xlsx_response(rows, columns, title=f"{assessment.year}年度考核得分")


@require_http_methods(["GET", "POST"])
@login_required
def score_adjust(request, pk: int, score_id: int):
    assessment = scope.assessment_to_act(request.user, pk)
    score = get_object_or_404(Score.objects.select_related("region", "assessment"), pk=score_id, assessment=assessment)
    indicator = INDICATORS[score.indicator]
    initial = {"numerator": score.numerator, "denominator": score.denominator, "reason": score.adjust_reason}
    form = AdjustForm(request.POST or None, initial=initial)
    if indicator.denominator_label is None:
        del form.fields["denominator"]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.score_adjust(score=score, numerator=d["numerator"], denominator=d.get("denominator"),
                                  reason=d["reason"], actor=request.user)  # fmt: skip
        except ValidationError as e:
            _errors(form, e)
        else:
            messages.success(request, _("已调整考核数据。"))
            return redirect("assessment:detail", pk=assessment.pk)
    return render(request, "assessment/adjust.html", {
        "assessment": assessment, "score": score, "indicator": indicator, "form": form,
    })  # fmt: skip


@require_POST
@login_required
def assessment_act(request, pk: int, action: str):
    assessment = scope.assessment_to_act(request.user, pk)
    service = {"review": services.assessment_review, "finalise": services.assessment_finalise}.get(action)
    if service is None:
        raise Http404
    try:
        service(assessment=assessment, actor=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(m for ms in e.message_dict.values() for m in ms))
    else:
        messages.success(
            request, _("已复核考核结果。") if action == "review" else _("已确定考核等次，通报草稿已生成。")
        )
    return redirect("assessment:detail", pk=assessment.pk)


@require_GET
@login_required
def figure_records(request):
    """The records behind a figure no other list filters (the clocks of the complaints or supervisions, the
    incident cases) of one assessed region and year."""
    if not scope.may_open(request.user):
        raise PermissionDenied
    key = request.GET.get("indicator") or ""
    region = Region.objects.filter(code=(request.GET.get("region") or "")[:6]).first()
    try:
        year = int(request.GET.get("year") or "")
        model, q = records_q(key, year)
    except (KeyError, ValueError):
        raise Http404 from None
    if region is None or not scope.reads_region(request.user, region):
        raise Http404
    qs = model._default_manager.filter(q, region__path__startswith=region.path)
    if model is Deadline:
        qs = qs.select_related("case", "complaint", "region").order_by("due_at", "pk")
    else:
        qs = qs.select_related("region").order_by("filed_at", "pk")
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    return render(request, "assessment/records.html", {
        "indicator": INDICATORS[key], "region": region, "year": year, "page": page,
        "is_case": model is Case, "params": request.GET.urlencode(),
    })  # fmt: skip


@require_GET
@login_required
def circular_pdf(request, pk: int):
    circular = scope.circular_for(request.user, pk)
    response = HttpResponse(pdf.circular_pdf(circular), content_type="application/pdf")
    name = quote(f"{circular.title}.pdf", safe="")
    response["Content-Disposition"] = f"inline; filename=\"circular-{circular.pk}.pdf\"; filename*=UTF-8''{name}"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@login_required
def circular_list(request):
    qs = scope.circulars_visible(request.user).select_related("region").order_by("-published_at", "-id")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "assessment/circular_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
def circular_detail(request, pk: int):
    circular = scope.circular_for(request.user, pk)
    can_act = circular.status == Circular.Status.DRAFT and scope.may_assess(request.user, circular.region)
    form = CircularForm(request.POST or None, initial={"title": circular.title, "body": circular.body})
    if request.method == "POST":
        if not can_act:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.circular_edit(circular=circular, title=form.cleaned_data["title"],
                                       body=form.cleaned_data["body"], actor=request.user)  # fmt: skip
                if request.POST.get("publish"):
                    services.circular_publish(circular=circular, actor=request.user)
            except ValidationError as e:
                _errors(form, e)
            else:
                messages.success(request, _("通报已印发。") if request.POST.get("publish") else _("已保存通报。"))
                return redirect("assessment:circular", pk=circular.pk)
    reads_sheet = scope.assessments_visible(request.user).filter(pk=circular.assessment_id).exists() if (
        scope.may_open(request.user)) else False  # fmt: skip
    return render(request, "assessment/circular.html", {
        "circular": circular, "form": form, "can_act": can_act, "reads_sheet": reads_sheet,
    })  # fmt: skip
