from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, Window
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, ListView, UpdateView

from common.mixins import InvalidFormIs400Mixin

from ..filters import ContactPersonFilter
from ..forms.contacts import ContactPersonForm
from ..markup import ContactRowMarkup, CountInPageQueryPaginator
from ..models import ContactPerson, SamverkArea
from ..services.contacts import confirm_contact_list, save_contact, set_contact_active
from .mixins import AreaMixin


class AreaListView(ListView):
    template_name = "parties/area_list.html"
    context_object_name = "areas"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("parties.view_contact_list"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return SamverkArea.objects.annotate(
            active_contacts=Count("contact_persons", filter=Q(contact_persons__is_active=True))
        )

    def get_context_data(self, **kwargs):
        coordinated = set(self.request.user.coordinated_areas.values_list("pk", flat=True))
        return super().get_context_data(nav="contacts", coordinated=coordinated, **kwargs)


class ContactListView(AreaMixin, ListView):
    template_name = "parties/contact_list.html"
    context_object_name = "contacts"
    paginate_by = 50
    paginator_class = CountInPageQueryPaginator

    # The rows are plain dicts with just the columns the table shows: no model instances (and
    # no unit descriptions) are built for 50 rows.
    ROW_FIELDS = (
        "pk",
        "name",
        "title",
        "email",
        "phone",
        "is_samverk_contact",
        "is_active",
        "last_confirmed_on",
    )

    def get_queryset(self):
        base = ContactPerson.objects.filter(area=self.area)
        self.filterset = ContactPersonFilter(
            self.request.GET or None, queryset=base, area=self.area
        )
        qs = self.filterset.qs if self.filterset.is_valid() else base.none()
        return qs.values(
            *self.ROW_FIELDS,
            organisation_name=F("organisation__name"),
            unit_name=F("unit__name"),
            total=Window(Count("*")),  # read by CountInPageQueryPaginator
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            filter=self.filterset, filter_options=self.filterset.select_options(), **kwargs
        )
        markup = ContactRowMarkup(area=self.area, can_edit=self.can_edit)
        context["contact_rows"] = markup.rows(context["contacts"])
        return context


class ContactFormMixin(InvalidFormIs400Mixin, AreaMixin):
    needs_edit = True
    model = ContactPerson
    form_class = ContactPersonForm
    template_name = "parties/contact_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "area": self.area}

    def form_valid(self, form):
        self.object = save_contact(form=form)
        messages.success(self.request, _("%(name)s har sparats.") % {"name": self.object.name})
        return HttpResponseRedirect(self.area.get_absolute_url())


class ContactCreateView(ContactFormMixin, CreateView):
    pass


class ContactUpdateView(ContactFormMixin, UpdateView):
    def get_queryset(self):
        return ContactPerson.objects.filter(area=self.area)


class ContactActiveView(AreaMixin, View):
    """POST active=0 deactivates a person, active=1 brings them back."""

    needs_edit = True

    def post(self, request, *args, **kwargs):
        contact = get_object_or_404(ContactPerson, area=self.area, pk=kwargs["pk"])
        active = request.POST.get("active") == "1"
        set_contact_active(contact=contact, active=active)
        if active:
            messages.success(request, _("%(name)s är aktiv igen.") % {"name": contact.name})
        else:
            messages.success(
                request,
                _("%(name)s är inaktiverad och får inga fler kallelser.") % {"name": contact.name},
            )
        return HttpResponseRedirect(self.area.get_absolute_url())


class ConfirmContactListView(AreaMixin, View):
    needs_edit = True

    def post(self, request, *args, **kwargs):
        confirm_contact_list(area=self.area, user=request.user)
        messages.success(
            request, _("Kontaktlistan för %(area)s är bekräftad som aktuell.") % {"area": self.area}
        )
        return HttpResponseRedirect(self.area.get_absolute_url())
