"""The answer pages reached by a link in the kallelse."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules
from common.personnummer import refuse_in_free_text
from common.uploads import check_pdf

from ..enums import Answer


class AnswerForm(InputRules, forms.Form):
    answer = forms.ChoiceField(
        label=_("Ditt svar"),
        choices=[
            (Answer.ATTENDING, _("Jag kommer")),
            (Answer.REMOTE, _("Jag deltar via telefon eller video")),
            (Answer.DECLINED, _("Jag kan inte komma")),
            (Answer.SUBSTITUTE, _("Jag skickar en ersättare")),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Välj ett svar."),
            "invalid_choice": _("Välj ett av svaren."),
        },
    )
    # Names go into the kallelse and the convener's notice.
    substitute_name = forms.CharField(
        label=_("Ersättarens namn"),
        max_length=150,
        required=False,
        validators=[refuse_in_free_text],
    )
    substitute_email = forms.EmailField(
        label=_("Ersättarens e-post"),
        required=False,
        error_messages={"invalid": _("Ange en giltig e-postadress.")},
    )

    comment = forms.CharField(
        label=_("Kommentar (frivilligt)"),
        help_text=_("Till den som kallade. Skriv inga personnummer eller känsliga uppgifter."),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_in_free_text],
    )
    contribution_text = forms.CharField(
        label=_("Skriftligt underlag (om du inte kan komma)"),
        help_text=_(
            "Det du vill att mötet ska veta från dig. Den som kallade ser det på mötessidan "
            "och under mötet."
        ),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contribution_file = forms.FileField(
        label=_("Skriftligt underlag som PDF (frivilligt)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, may_name_substitute=True, party="", **kwargs):
        super().__init__(*args, **kwargs)
        if not may_name_substitute:
            # A substitute names no substitute (meetings.services.invitations): the page does
            # not offer it, and a POST of it anyway is refused beside the answer.
            answer = self.fields["answer"]
            answer.widget.choices = [c for c in answer.choices if c[0] != Answer.SUBSTITUTE]
            del self.fields["substitute_name"], self.fields["substitute_email"]
        elif party:
            self.fields["substitute_email"].help_text = _(
                "Ersättaren ska arbeta hos %(party)s: ange hens e-postadress där. Hen får "
                "kallelsen."
            ) % {"party": party}

    def clean_contribution_file(self):
        upload = self.cleaned_data.get("contribution_file")
        if not upload:
            return None
        try:
            check_pdf(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        # Named by what it is, never by what the browser called it (a personnummer, a name).
        upload.name = "skriftligt-underlag.pdf"
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == Answer.SUBSTITUTE and "substitute_name" in self.fields:
            if not cleaned.get("substitute_name"):
                self.add_error("substitute_name", _("Ange ersättarens namn."))
            if not cleaned.get("substitute_email") and "substitute_email" not in self.errors:
                self.add_error(
                    "substitute_email", _("Ange ersättarens e-post så att hen får kallelsen.")
                )
        return cleaned


class NameCaseworkerForm(InputRules, forms.Form):
    name = forms.CharField(
        label=_("Handläggarens namn"),
        max_length=150,
        error_messages={"required": _("Ange namnet.")},
        validators=[refuse_in_free_text],
    )
    email = forms.EmailField(
        label=_("Handläggarens e-post"),
        error_messages={
            "required": _("Ange e-postadressen."),
            "invalid": _("Ange en giltig e-postadress."),
        },
    )
