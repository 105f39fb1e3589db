"""Mina åtaganden: the actions decided at meetings, tracked until done."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.reads import log_listed
from common.commitments import sections as more_sections
from common.forms import parse_id
from parties.models import Organisation

from ..forms import DoneForm
from ..services.autosave import mark_action_done
from ..services.commitments import commitments_for, commitments_of_organisation, tracked_actions

DONE_SHOWN = 50


@require_GET
def commitments(request):
    """Mine (my organisation's and mine by name), or one organisation's (?part=<id>)."""
    user = request.user
    pk = parse_id(request.GET.get("part", ""))
    organisation = None
    if pk is not None:
        organisation = Organisation.objects.filter(pk=pk).first()
    actions = (
        commitments_of_organisation(user, organisation.pk)
        if organisation
        else commitments_for(user)
    )
    today = timezone.localdate()
    open_actions = list(actions.filter(done_on__isnull=True))
    for action in open_actions:
        action.overdue = action.is_overdue(today)
    done = list(actions.filter(done_on__isnull=False).order_by("-done_on")[:DONE_SHOWN])
    # Each row names the individual: one "shown in a list" row per ärende, one query.
    shown = [a.plan.meeting.case_id for a in (*open_actions, *done)]
    log_listed(user, shown, page="commitments")
    return render(
        request,
        "plans/commitments.html",
        {
            "open_actions": open_actions,
            "overdue_count": sum(a.overdue for a in open_actions),
            "done_actions": done,
            "organisation": organisation,
            "organisations": Organisation.objects.only("pk", "name").order_by("name"),
            "done_form": DoneForm(),
            "today": today,
            "nav": "commitments",
            # Other apps' commitments (the groups' uppdrag): common.commitments.
            "more_sections": more_sections(request),
        },
    )


@require_POST
def mark_done(request, pk):
    action = get_object_or_404(tracked_actions(request.user), pk=pk)
    form = DoneForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("plans:commitments")
    if not form.is_valid():
        messages.error(request, _("Ange ett giltigt datum då insatsen blev klar."))
        return HttpResponseRedirect(back)
    try:
        mark_action_done(action=action, user=request.user, done_on=form.cleaned_data["done_on"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Insatsen är markerad som klar."))
    return HttpResponseRedirect(back)
