import django_filters
from django import forms
from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules

from .forms.contacts import UnitChoiceField, units_for_area
from .models import ContactPerson, Organisation, Unit


class UnitFilter(django_filters.ModelChoiceFilter):
    field_class = UnitChoiceField


class FilterForm(InputRules, forms.Form):
    """The contact list's filter form, with the rules of every form (common/forms.py)."""


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
        form = FilterForm

    def __init__(self, data=None, *args, area, **kwargs):
        data = data.copy() if data is not None else {}
        # An unfiltered list shows the people invitations can go to: the active ones.
        data.setdefault("status", self.STATUS_ACTIVE)
        super().__init__(data, *args, **kwargs)
        self.area = area
        self.filters["unit"].queryset = units_for_area(area)

    def select_options(self):
        """Each select's options as (value, label, selected), for the hand-written filter form.

        The contact list renders its filter form without crispy-forms or Django's widget
        templates, which cost several milliseconds per request. The same options (empty
        label first, the request's value selected) are built here, the parties and the
        area's units in one query: every party, each joined to its units in the area (or in
        every area), in the order of the two fields' own querysets (party name, unit name).
        The fields' querysets still validate what is submitted.
        """
        form = self.form
        parties, units = [], []
        rows = (
            Organisation.objects.annotate(
                area_unit=FilteredRelation(
                    "units", condition=Q(units__area=self.area) | Q(units__area__isnull=True)
                )
            )
            .order_by("name", "area_unit__name")
            .values_list("pk", "name", "area_unit__pk", "area_unit__name")
        )
        unit_field = form.fields["unit"]
        for pk, name, unit_pk, unit_name in rows:
            if not parties or parties[-1][0] != str(pk):
                parties.append((str(pk), name))
            if unit_pk is not None:
                # The field's own label ("Enhet (Part)"), from an unsaved stand-in.
                unit = Unit(pk=unit_pk, name=unit_name, organisation=Organisation(pk=pk, name=name))
                units.append((str(unit_pk), unit_field.label_from_instance(unit)))
        choices = {
            "organisation": [("", form.fields["organisation"].empty_label), *parties],
            "unit": [("", unit_field.empty_label), *units],
            "status": [(str(value), label) for value, label in form.fields["status"].choices],
        }
        options = {}
        for name, field_choices in choices.items():
            current = form[name].value()
            current = "" if current is None else str(current)
            options[name] = [(value, label, value == current) for value, label in field_choices]
        return options

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
