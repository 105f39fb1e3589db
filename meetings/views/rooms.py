"""The area's meeting rooms, kept by its coordinator (issue 18; before, only in the admin)."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from common.mixins import InvalidFormIs400Mixin
from parties.views.mixins import AreaMixin

from ..forms.rooms import RoomForm
from ..models import Room


class RoomListView(AreaMixin, ListView):
    needs_edit = True
    template_name = "meetings/room_list.html"
    context_object_name = "rooms"

    def get_queryset(self):
        return Room.objects.filter(area=self.area).order_by("name")


class _RoomFormView(InvalidFormIs400Mixin, AreaMixin):
    needs_edit = True
    form_class = RoomForm
    template_name = "meetings/room_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "area": self.area}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("%(name)s har sparats.") % {"name": form.instance.name})
        return HttpResponseRedirect(reverse("meetings:room_list", args=[self.area.slug]))


class RoomCreateView(_RoomFormView, CreateView):
    pass


class RoomUpdateView(_RoomFormView, UpdateView):
    def get_queryset(self):
        return Room.objects.filter(area=self.area)
