import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms import UnitChoiceField, units_for_area
from .models import ContactPerson, Organisation


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class ContactPersonFilter(django_filters.FilterSet):
    STATUS_ACTIVE = "aktiva"
    STATUS_CHOICES = [
        (STATUS_ACTIVE, _("Aktiva")),
        ("inaktiva", _("Inaktiva")),
        ("alla", _("Alla")),
    ]

    q = django_filters.CharFilter(
        label=_("Sök"),
        method="search",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Namn, titel, e-post, telefon, enhet")}
        ),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Part"), queryset=Organisation.objects.all(), empty_label=_("Alla parter")
    )
    unit = UnitFilter(label=_("Enhet"), queryset=None, empty_label=_("Alla enheter"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=None
    )
    samverk_contact = django_filters.BooleanFilter(
        label=_("Endast partens Samverk-kontakt"),
        field_name="is_samverk_contact",
        widget=forms.CheckboxInput,
        method="filter_samverk_contact",
    )

    class Meta:
        model = ContactPerson
        fields = ["q", "organisation", "unit", "status", "samverk_contact"]

    def __init__(self, data=None, *args, area, **kwargs):
        data = data.copy() if data is not None else {}
        # An unfiltered list shows the people invitations can go to: the active ones.
        data.setdefault("status", self.STATUS_ACTIVE)
        super().__init__(data, *args, **kwargs)
        self.filters["unit"].queryset = units_for_area(area)

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(title__icontains=word)
                | Q(email__icontains=word)
                | Q(phone__icontains=word)
                | Q(unit__name__icontains=word)
                | Q(organisation__name__icontains=word)
            )
        return queryset

    def filter_status(self, queryset, name, value):
        if value == "aktiva":
            return queryset.filter(is_active=True)
        if value == "inaktiva":
            return queryset.filter(is_active=False)
        return queryset

    def filter_samverk_contact(self, queryset, name, value):
        return queryset.filter(is_samverk_contact=True) if value else queryset
