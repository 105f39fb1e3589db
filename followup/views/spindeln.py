"""Spindeln's pages: the area's rounds, a new round, a round (state and results), its
downloads (CSV of the means, PNG and PDF of the radar chart) and the public answer page
reached by the member's signed link."""

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parties.services.transfer import CSV_CONTENT_TYPE

from ..forms.spindeln import AnswerForm, RoundForm
from ..services import spindeln
from ..services.spindeln_charts import line_chart, radar_chart


def _radar(result):
    survey = result.survey
    return radar_chart(
        [f.label for f in result.factors],
        [f.mean for f in result.factors],
        [f.others for f in result.factors],
        title=_("Spindeln: %(title)s, %(area)s")
        % {"title": survey.title, "area": survey.area.name},
        area_name=survey.area.name,
        others_name=_("Övriga områden %(year)s (medel)") % {"year": survey.closes_on.year},
    )


def _trend_context(area):
    rows = spindeln.trend(area)
    return {
        "trend": rows,
        "years": spindeln.year_trend(rows),
        "trend_chart": line_chart(
            [(r.survey.closes_on.strftime("%Y-%m-%d"), r.overall) for r in rows],
            title=_("Medelvärde av de sju faktorerna per omgång"),
        ),
        "generic": spindeln.SURVEY_FACTORS,
    }


@login_required
@require_GET
def rounds(request, area_slug):
    area = spindeln.get_area(request.user, area_slug)
    coordinates = spindeln.may_coordinate(request.user, area)
    surveys = area.survey_rounds.all()
    if not coordinates:
        surveys = surveys.filter(closed_at__isnull=False)
    listed = [
        (s, s.invitations.count(), s.invitations.filter(answered=True).count()) for s in surveys
    ]
    context = {
        "area": area,
        "coordinates": coordinates,
        "rounds": listed,
        "nav": "followup",
        **_trend_context(area),
    }
    return render(request, "followup/spindeln/rounds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def create(request, area_slug):
    from ..access import get_area_for_handler

    area = get_area_for_handler(request.user, area_slug)
    form = RoundForm(request.POST or None, area=area)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                survey = spindeln.start_round(
                    area=area,
                    user=request.user,
                    title=data["title"],
                    closes_on=data["closes_on"],
                    groups=list(data["groups"]),
                    members=list(data["members"]),
                    local_factors=[data["local_factor_1"], data["local_factor_2"]],
                )
            except ValidationError as error:
                for key, errs in error.message_dict.items():
                    if key == "local_factors":
                        key = "local_factor_1"
                    form.add_error(key if key in form.fields else None, errs)
            else:
                messages.success(
                    request,
                    _("Omgången är startad: %(count)d länkar skickas med e-post.")
                    % {"count": survey.invitations.count()},
                )
                return redirect("followup:spindeln_round", pk=survey.pk)
        status = 400
    return render(
        request,
        "followup/spindeln/create.html",
        {"area": area, "form": form, "nav": "followup"},
        status=status,
    )


@login_required
@require_GET
def round_detail(request, pk):
    survey = spindeln.get_round(request.user, pk)
    result = spindeln.results(survey)
    context = {
        "round": survey,
        "area": survey.area,
        "result": result,
        "open": spindeln.is_open(survey),
        "min_answers": spindeln.MIN_ANSWERS,
        "nav": "followup",
    }
    if survey.user_coordinates:
        context["not_answered"] = survey.invitations.filter(answered=False).select_related(
            "organisation"
        )
    if result.shown:
        context["chart"] = _radar(result)
    return render(request, "followup/spindeln/round.html", context)


@login_required
@require_POST
def remind(request, pk):
    survey = spindeln.get_round(request.user, pk, manage=True)
    try:
        count = spindeln.remind_now(survey)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("followup:spindeln_round", pk=survey.pk)
    messages.success(request, _("%(count)d påminnelser skickas.") % {"count": count})
    return redirect("followup:spindeln_round", pk=survey.pk)


@login_required
@require_POST
def close(request, pk):
    survey = spindeln.get_round(request.user, pk, manage=True)
    if spindeln.close_round(survey):
        messages.success(request, _("Omgången är stängd."))
    else:
        messages.info(request, _("Omgången var redan stängd."))
    return redirect("followup:spindeln_round", pk=survey.pk)


@login_required
@require_GET
def export(request, pk, file_format):
    survey = spindeln.get_round(request.user, pk)
    if file_format not in ("csv", "png", "pdf"):
        return HttpResponse(
            _("Välj CSV, PNG eller PDF."), status=404, content_type="text/plain; charset=utf-8"
        )
    result = spindeln.results(survey)
    if not result.shown:
        return HttpResponse(
            _("Resultatet visas när omgången är stängd och minst %(n)d har svarat.")
            % {"n": spindeln.MIN_ANSWERS},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    stem = f"spindeln-{survey.area.slug}-{survey.closes_on:%Y%m%d}"
    if file_format == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerows(spindeln.means_csv_rows(result))
        response = HttpResponse("\ufeff" + out.getvalue(), content_type=CSV_CONTENT_TYPE)
    elif file_format == "png":
        import cairosvg

        response = HttpResponse(
            cairosvg.svg2png(bytestring=str(_radar(result)).encode(), output_width=1120),
            content_type="image/png",
        )
    else:
        from common.pdf import html_to_pdf

        html = render_to_string(
            "followup/spindeln/pdf.html",
            {
                "round": survey,
                "result": result,
                "chart": _radar(result),
                "has_comments": any(f.comments for f in result.factors),
                "printed_on": timezone.localdate(),
            },
        )
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{stem}.{file_format}"'
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request, token):
    """The member's answer by signed link: no login; one answer per link."""
    try:
        invitation = spindeln.invitation_from_token(token)
    except spindeln.LinkError as error:
        return render(
            request, "link_error.html", {"message": str(error)}, status=400
        )
    survey = invitation.round
    form = AnswerForm(request.POST or None, survey=survey)
    if request.method == "POST":
        if form.is_valid():
            values, comments = form.answer()
            try:
                spindeln.submit_answer(invitation, values=values, comments=comments)
            except spindeln.LinkError as error:
                return render(
                    request,
                    "link_error.html",
                    {"message": str(error)},
                    status=400,
                )
            except ValidationError as error:
                for key, errs in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, errs)
            else:
                return render(request, "followup/spindeln/thanks.html", {"round": survey})
        status = 400
    else:
        status = 200
    return render(
        request,
        "followup/spindeln/answer.html",
        {
            "round": survey,
            "form": form,
            "closes": spindeln.closing_text(survey),
        },
        status=status,
    )
