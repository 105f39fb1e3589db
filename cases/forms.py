from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from parties.models import SamverkArea

from . import personnummer
from .models import Case


class CaseForm(InputRules, forms.ModelForm):
    personnummer = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        required=False,
        help_text=_("Frivilligt. ÅÅÅÅMMDD-NNNN. Visas maskerat och skickas aldrig med e-post."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    class Meta:
        model = Case
        fields = [
            "area",
            "first_name",
            "last_name",
            "personnummer",
            "address",
            "phone",
            "email",
            "contact_preference",
            "interpreter_language",
            "needs_support_person",
            "needs_cognitive_support",
            "wishes",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "wishes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {
            "first_name": {"required": _("Ange den enskildes förnamn.")},
            "last_name": {"required": _("Ange den enskildes efternamn.")},
            "area": {
                "required": _("Välj Samverk-område."),
                "invalid_choice": _("Välj ett område i listan."),
            },
            "email": {"invalid": _("Ange en giltig e-postadress.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = SamverkArea.objects.all()
        # The name is in every kallelse and plan, the address and the interpreter's
        # language in the letters: the number has its own field, never these.
        for name in ("first_name", "last_name", "address", "interpreter_language"):
            self.fields[name].validators.append(personnummer.refuse_in_free_text)
        if self.instance.pk:
            # Never echo the stored number back into the page: leave empty to keep it.
            self.initial["personnummer"] = ""
            self.fields["personnummer"].help_text = _(
                "Lämna tomt för att behålla det sparade numret (%(masked)s)."
            ) % {"masked": self.instance.masked_personnummer or _("inget")}
            self.fields["remove_personnummer"] = forms.BooleanField(
                label=_("Ta bort sparat personnummer"), required=False
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Ärende"), "area"),
            Fieldset(
                _("Den enskilde"),
                "first_name",
                "last_name",
                "personnummer",
                *(["remove_personnummer"] if self.instance.pk else []),
                "address",
                "phone",
                "email",
                "contact_preference",
            ),
            Fieldset(
                _("Behov och önskemål"),
                "interpreter_language",
                "needs_support_person",
                "needs_cognitive_support",
                "wishes",
            ),
        )
        self.helper.add_input(Submit("save", _("Spara")))

    def clean_personnummer(self):
        value = self.cleaned_data.get("personnummer", "").strip()
        if not value:
            return ""
        return personnummer.normalise(value)

    def clean(self):
        cleaned = super().clean()
        # The personnummer field is not echoed on edit:
        # empty means "keep", unless removal is ticked.
        if self.instance.pk and not cleaned.get("personnummer"):
            if cleaned.get("remove_personnummer"):
                cleaned["personnummer"] = ""
            else:
                cleaned["personnummer"] = self.instance.personnummer
        return cleaned


class CloseCaseForm(InputRules, forms.Form):
    reason = forms.CharField(
        label=_("Anledning till avslut"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ange varför ärendet avslutas.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("close", _("Avsluta ärendet"), css_class="btn-danger"))


# How many colleagues the share field suggests for what has been typed.
COLLEAGUE_SUGGESTIONS = 20


def colleague_label(user) -> str:
    """ "Name (address)": what the share field's list shows and the user types or picks."""
    return f"{user} ({user.email or user.username})"


class ShareForm(InputRules, forms.Form):
    """ "Dela med kollega": a colleague of one's own organisation, why, and until when.

    The colleague is a text field with a <datalist> filled as the user types (an
    organisation like Försäkringskassan has thousands of staff). Without the list (or
    without JavaScript) the user types the name or the e-mail address; a name several
    colleagues have is refused with them in the list to pick from."""

    colleague = forms.CharField(
        label=_("Kollega"),
        max_length=300,
        help_text=_("Skriv namn eller e-postadress och välj personen i listan."),
        error_messages={"required": _("Välj vem ärendet ska delas med.")},
    )
    reason = forms.CharField(
        label=_("Skäl"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Varför kollegan behöver ärendet. Visas i ärendets historik."),
        error_messages={"required": _("Ange varför kollegan behöver ärendet.")},
    )
    ends_on = forms.DateField(
        label=_("Till och med"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Lämna tomt: tills delningen återkallas."),
        error_messages={"invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )

    def __init__(self, *args, colleagues, **kwargs):
        """``colleagues``: whom the user may share with (cases.services.colleagues)."""
        super().__init__(*args, **kwargs)
        self.colleagues = colleagues
        self.candidates = []  # on an ambiguous name: those it fits, for the list

    def suggestions(self, text: str, *, limit: int = COLLEAGUE_SUGGESTIONS) -> list[str]:
        """Labels of the colleagues whose name or e-mail address holds every typed word."""
        found = self.colleagues
        for word in text.split()[:5]:
            found = found.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(username__icontains=word)
            )
        return [colleague_label(u) for u in found[:limit]]

    @staticmethod
    def option_elements(labels) -> str:
        return format_html_join("", '<option value="{}">', ((label,) for label in labels))

    def clean_colleague(self):
        text = " ".join(self.cleaned_data["colleague"].replace("\x00", "").split())
        wanted = text.casefold()
        words = text.split()[:5]
        rough = self.colleagues
        for word in words:
            rough = rough.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(username__icontains=word)
            )
        rough = list(rough[:200])
        match = [u for u in rough if colleague_label(u).casefold() == wanted]
        if not match:
            match = [u for u in rough if wanted in (u.email.casefold(), u.username.casefold())]
        if not match:
            match = [u for u in rough if str(u).casefold() == wanted]
        if len(match) > 1:
            self.candidates = [colleague_label(u) for u in match]
            raise forms.ValidationError(
                _("Flera kollegor heter %(name)s: välj en av dem i listan.") % {"name": text}
            )
        if not match:
            self.candidates = [colleague_label(u) for u in rough[:COLLEAGUE_SUGGESTIONS]]
            raise forms.ValidationError(
                _(
                    "Ingen kollega med handläggar- eller koordinatorroll i din organisation "
                    "heter så. Välj i listan."
                )
            )
        return match[0]

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on and ends_on < timezone.localdate():
            raise forms.ValidationError(_("Slutdatumet har redan varit."))
        return ends_on
