from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from common.mixins import InvalidFormIs400Mixin

from ..forms.contacts import units_for_area
from ..forms.units import AreaSettingsForm, NewUnitForm, UnitForm
from .mixins import AreaMixin


class UnitListView(AreaMixin, ListView):
    """The units working in an area, with their "vägen in" text."""

    template_name = "parties/unit_list.html"
    context_object_name = "units"

    def get_queryset(self):
        return units_for_area(self.area).order_by("organisation__name", "name")


class UnitUpdateView(InvalidFormIs400Mixin, AreaMixin, UpdateView):
    needs_edit = True
    form_class = UnitForm
    template_name = "parties/unit_form.html"

    def get_queryset(self):
        return units_for_area(self.area)

    def get_object(self, queryset=None):
        unit = super().get_object(queryset)
        # A unit shared by every area belongs to no single coordinator.
        if unit.area_id is None and not self.request.user.is_samverk_admin:
            raise PermissionDenied
        return unit

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("%(name)s har sparats.") % {"name": form.instance.name})
        return HttpResponseRedirect(reverse("parties:unit_list", args=[self.area.slug]))


class UnitCreateView(InvalidFormIs400Mixin, AreaMixin, CreateView):
    """A new unit working in the area (the coordinator's; shared units are the admin's)."""

    needs_edit = True
    form_class = NewUnitForm
    template_name = "parties/unit_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "area": self.area}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("%(name)s har lagts till.") % {"name": form.instance.name})
        return HttpResponseRedirect(reverse("parties:unit_list", args=[self.area.slug]))


class AreaSettingsView(InvalidFormIs400Mixin, AreaMixin, UpdateView):
    needs_edit = True
    form_class = AreaSettingsForm
    template_name = "parties/area_settings.html"

    def get_object(self, queryset=None):
        return self.area

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Områdets inställningar har sparats."))
        return HttpResponseRedirect(reverse("parties:area_settings", args=[self.area.slug]))
