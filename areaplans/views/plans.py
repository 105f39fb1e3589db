from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, FormView, TemplateView, UpdateView

from common.mixins import InvalidFormIs400Mixin

from ..enums import VersionKind
from ..forms.plans import ActivityForm, CommentForm, GoalForm, NewPlanForm, VersionForm
from ..models import AreaPlan, AreaPlanVersion, PlanActivity, PlanGoal
from ..services import plans as plan_service
from ..services.documents import pdf_filename, plan_pdf
from ..services.versions import assignment_status, for_display, save_version
from .mixins import AreaPlanMixin


def plan_url(plan):
    return reverse("areaplans:plan", args=[plan.area.slug, plan.year])


class PlanListView(AreaPlanMixin, InvalidFormIs400Mixin, FormView):
    """The area's plans by year, and a new year's plan (from the last)."""

    members_read = True

    template_name = "areaplans/plan_list.html"
    form_class = NewPlanForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "area": self.area}

    def get_initial(self):
        latest = AreaPlan.objects.filter(area=self.area).order_by("-year").first()
        return {"year": latest.year + 1} if latest else {}

    def get_context_data(self, **kwargs):
        plans = AreaPlan.objects.filter(area=self.area).order_by("-year")
        return super().get_context_data(plans=plans, **kwargs)

    def form_valid(self, form):
        try:
            plan = plan_service.start_plan(self.area, form.cleaned_data["year"])
        except plan_service.PlanExists:
            form.add_error("year", _("Området har redan en handlingsplan för det året."))
            return self.form_invalid(form)
        if plan.based_on:
            messages.success(
                self.request,
                _(
                    "Planen för %(year)s har skapats från %(previous)s; aktiviteter som inte är "
                    "genomförda följde med."
                )
                % {"year": plan.year, "previous": plan.based_on.year},
            )
        else:
            messages.success(
                self.request, _("Planen för %(year)s har skapats.") % {"year": plan.year}
            )
        return HttpResponseRedirect(plan_url(plan))


class PlanDetailView(AreaPlanMixin, TemplateView):
    members_read = True

    template_name = "areaplans/plan_detail.html"

    def get_context_data(self, **kwargs):
        plan = plan_service.plan_with_rows(AreaPlan.objects.filter(pk=self.plan.pk)).get()
        today = timezone.localdate()
        for goal in plan.goals.all():
            for activity in goal.activities.all():
                for assignment in activity.assignments.all():
                    assignment.plan_status = assignment_status(assignment, today)
        versions = list(plan.versions.select_related("created_by").order_by("-number"))
        return super().get_context_data(
            plan_rows=plan,
            plan_base=plan_url(plan),
            versions=versions,
            version_form=VersionForm(area=self.area),
            **kwargs,
        )


class _PlanChildMixin(AreaPlanMixin, InvalidFormIs400Mixin):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_class is ActivityForm:
            kwargs["area"] = self.area
        return kwargs

    def get_success_url(self):
        return plan_url(self.plan)

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Ändringen har sparats."))
        return response


class GoalCreateView(_PlanChildMixin, CreateView):
    form_class = GoalForm
    template_name = "areaplans/item_form.html"
    extra_context = {"heading": "goal_new"}

    def form_valid(self, form):
        plan_service.add_goal(self.plan, form.cleaned_data["text"])
        messages.success(self.request, _("Målet har lagts till."))
        return HttpResponseRedirect(self.get_success_url())


class GoalUpdateView(_PlanChildMixin, UpdateView):
    form_class = GoalForm
    template_name = "areaplans/item_form.html"
    extra_context = {"heading": "goal_edit"}

    def get_queryset(self):
        return PlanGoal.objects.filter(plan=self.plan)


class ActivityCreateView(_PlanChildMixin, CreateView):
    form_class = ActivityForm
    template_name = "areaplans/item_form.html"
    extra_context = {"heading": "activity_new"}

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.goal, **kwargs)

    @property
    def goal(self):
        return get_object_or_404(PlanGoal, plan=self.plan, pk=self.kwargs["goal_pk"])

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in ActivityForm.Meta.fields}
        assignments = fields.pop("assignments")
        activity = plan_service.add_activity(self.goal, **fields)
        activity.assignments.set(assignments)
        messages.success(self.request, _("Aktiviteten har lagts till."))
        return HttpResponseRedirect(self.get_success_url())


class ActivityUpdateView(_PlanChildMixin, UpdateView):
    form_class = ActivityForm
    template_name = "areaplans/item_form.html"
    extra_context = {"heading": "activity_edit"}

    def get_queryset(self):
        return PlanActivity.objects.filter(goal__plan=self.plan).select_related("goal")

    def get_context_data(self, **kwargs):
        return super().get_context_data(goal=self.object.goal, **kwargs)


class CommentUpdateView(_PlanChildMixin, UpdateView):
    form_class = CommentForm
    template_name = "areaplans/item_form.html"
    extra_context = {"heading": "comment"}

    def get_object(self, queryset=None):
        return self.plan


class GoalDeleteView(AreaPlanMixin, View):
    def post(self, request, *args, **kwargs):
        goal = get_object_or_404(PlanGoal, plan=self.plan, pk=kwargs["pk"])
        plan_service.remove_goal(goal)
        messages.success(request, _("Målet har tagits bort."))
        return HttpResponseRedirect(plan_url(self.plan))


class ActivityDeleteView(AreaPlanMixin, View):
    def post(self, request, *args, **kwargs):
        activity = get_object_or_404(PlanActivity, goal__plan=self.plan, pk=kwargs["pk"])
        plan_service.remove_activity(activity)
        messages.success(request, _("Aktiviteten har tagits bort."))
        return HttpResponseRedirect(plan_url(self.plan))


class VersionCreateView(AreaPlanMixin, InvalidFormIs400Mixin, FormView):
    """Fastställ the plan (the styrgrupp's decision) or save a revision: a frozen snapshot."""

    form_class = VersionForm
    template_name = "areaplans/version_form.html"
    http_method_names = ["post"]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "area": self.area}

    def form_valid(self, form):
        version = save_version(
            self.plan,
            kind=form.cleaned_data["kind"],
            decided_on=form.cleaned_data["decided_on"],
            user=self.request.user,
            meeting=form.cleaned_data["meeting"],
        )
        if version.kind == VersionKind.ESTABLISHED:
            text = _("Planen har fastställts (version %(number)s).")
        else:
            text = _("Revideringen har sparats (version %(number)s).")
        messages.success(self.request, text % {"number": version.number})
        return HttpResponseRedirect(plan_url(self.plan))


class VersionDetailView(AreaPlanMixin, TemplateView):
    members_read = True

    template_name = "areaplans/version_detail.html"

    def get_context_data(self, **kwargs):
        version = get_object_or_404(AreaPlanVersion, plan=self.plan, number=kwargs["number"])
        return super().get_context_data(
            version=version, snapshot=for_display(version.snapshot), **kwargs
        )


class PlanPdfView(AreaPlanMixin, View):
    """The plan as a PDF: a version's snapshot, or the current text as a draft."""

    members_read = True

    def get(self, request, *args, **kwargs):
        version = None
        if "number" in kwargs:
            version = get_object_or_404(AreaPlanVersion, plan=self.plan, number=kwargs["number"])
        response = HttpResponse(plan_pdf(self.plan, version), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{pdf_filename(self.plan, version)}"'
        )
        return response
