from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases.access import get_case_for_user

from ..access import (
    get_area_for_handler,
    get_area_for_statistics,
    get_deviation_for_handler,
    handled_areas,
    may_handle,
    may_report,
)
from ..forms.deviations import DeviationForm, HandleForm, SummaryForm
from ..models import Deviation
from ..services import deviations as service
from ..services.periods import BadPeriod, period_from, period_query


def _report(request, *, case=None):
    if not may_report(request.user):
        raise PermissionDenied
    form = DeviationForm(request.POST or None, case=case)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            service.report_deviation(
                user=request.user,
                area=case.area if case is not None else data["area"],
                occurred_on=data["occurred_on"],
                category=data["category"],
                what_happened=data["what_happened"],
                consequence=data["consequence"],
                parties=data["parties"],
                case=case,
            )
            messages.success(
                request, _("Avvikelsen är rapporterad till områdets samverkanskoordinator.")
            )
            return redirect("followup:deviation_mine")
        status = 400
    return render(
        request,
        "followup/deviation_form.html",
        {"form": form, "case": case, "nav": "followup"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deviation_create(request):
    return _report(request)


@login_required
@require_http_methods(["GET", "POST"])
def deviation_create_from_case(request, case_pk):
    case = get_case_for_user(request.user, case_pk)
    return _report(request, case=case)


@login_required
def deviation_mine(request):
    return render(
        request,
        "followup/deviation_mine.html",
        {"deviations": service.reported_by(request.user), "nav": "followup"},
    )


@login_required
def deviation_list(request, area_slug):
    area = get_area_for_handler(request.user, area_slug)
    deviations = Deviation.objects.filter(area=area).prefetch_related("parties")
    return render(
        request,
        "followup/deviation_list.html",
        {"area": area, "deviations": deviations, "nav": "followup"},
    )


@login_required
def deviation_areas(request):
    """The areas the user handles avvikelser for (a coordinator: their own)."""
    areas = handled_areas(request.user).order_by("name")
    if not areas:
        raise PermissionDenied
    if len(areas) == 1:
        return redirect("followup:deviation_list", area_slug=areas[0].slug)
    return render(request, "followup/deviation_areas.html", {"areas": areas, "nav": "followup"})


@login_required
@require_http_methods(["GET", "POST"])
def deviation_detail(request, pk):
    deviation = get_deviation_for_handler(request.user, pk)
    initial = {
        "status": deviation.status,
        "notes": deviation.notes,
        "measures": deviation.measures,
        "activity": deviation.activity_id,
        "agenda_item": deviation.agenda_item_id,
    }
    form = HandleForm(request.POST or None, initial=initial, area=deviation.area)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                service.handle_deviation(deviation, **form.cleaned_data)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field, errors)
            else:
                messages.success(request, _("Avvikelsen är sparad."))
                return redirect("followup:deviation_detail", pk=deviation.pk)
        status = 400
    return render(
        request,
        "followup/deviation_detail.html",
        {"deviation": deviation, "form": form, "area": deviation.area, "nav": "followup"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deviation_compilation(request, area_slug):
    """The period's counts by category, party and status (the styrgrupp's and the
    coordinator's), the published summary; the coordinator writes and publishes it."""
    area = get_area_for_statistics(request.user, area_slug)
    handles = may_handle(request.user, area)
    if request.method == "POST" and not handles:
        raise PermissionDenied
    query = request.POST if request.method == "POST" else request.GET
    context = {"area": area, "nav": "followup", "query": query, "handles": handles}
    try:
        period = period_from(query)
    except BadPeriod as error:
        context["period_error"] = str(error)
        return render(request, "followup/deviation_compilation.html", context, status=400)
    summary = service.summary_of(area, period.start, period.end)
    status = 200
    form = None
    if handles:
        initial = {"text": summary.text, "publish": bool(summary.published_at)} if summary else {}
        form = SummaryForm(request.POST or None, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                service.save_summary(
                    area=area,
                    start=period.start,
                    end=period.end,
                    text=form.cleaned_data["text"],
                    publish=form.cleaned_data["publish"],
                    user=request.user,
                )
                messages.success(request, _("Sammanfattningen är sparad."))
                return redirect(request.path + "?" + period_query(query))
            status = 400
    context.update(
        period=period,
        period_query=period_query(query),
        summary=service.compilation([area], period.start, period.end),
        published=service.published_summaries([area], period.start, period.end),
        form=form,
    )
    return render(request, "followup/deviation_compilation.html", context, status=status)
