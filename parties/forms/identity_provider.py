"""The admin's form for an organisation's login (IdentityProvider): what the administrator
types about the identity provider is kept in allauth's SocialApp (one to one), the rest in
the IdentityProvider row."""

from allauth.socialaccount.models import SocialApp
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from common.forms import InputRules

from .. import saml
from ..models import IdentityProvider

PROTOCOLS = [("openid_connect", "OpenID Connect"), ("saml", "SAML 2.0")]


class IdentityProviderForm(InputRules, forms.ModelForm):
    protocol = forms.ChoiceField(label=_("protokoll"), choices=PROTOCOLS)
    provider_id = forms.SlugField(
        label=_("kortnamn i adresser"),
        max_length=50,
        help_text=_(
            "Små bokstäver, siffror och bindestreck, t.ex. ”eksjo-kommun”. För OpenID Connect "
            "blir adressen som identitetsleverantören ska skicka tillbaka till "
            "%(site)s/konto/sso/oidc/<kortnamn>/login/callback/."
        )
        % {"site": settings.SITE_URL},
    )
    server_url = forms.URLField(
        label=_("utfärdare (issuer)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "OpenID Connect: identitetsleverantörens adress, t.ex. "
            "https://login.eksjo.se/realms/personal. Samverk läser "
            "/.well-known/openid-configuration där."
        ),
    )
    client_id = forms.CharField(
        label=_("klient-id"),
        max_length=191,
        help_text=_(
            "OpenID Connect: klient-id som identitetsleverantören gav Samverk. SAML: "
            "organisationens kortnamn i SAML-adresserna."
        ),
    )
    secret = forms.CharField(
        label=_("klienthemlighet"),
        required=False,
        max_length=191,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("OpenID Connect. Lämna tomt för att behålla den sparade hemligheten."),
    )
    extra_settings = forms.JSONField(
        label=_("övriga inställningar (JSON)"),
        required=False,
        help_text=_(
            "allauths inställningar för leverantören, t.ex. för SAML "
            '{"idp": {...}, "sp": {...}, "advanced": {...}} eller för OpenID Connect '
            '{"auth_params": {"acr_values": "..."}}. Tomt: inga.'
        ),
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "organisation",
            "label",
            "is_active",
            "strong_values",
            "role_claim",
            "caseworker_value",
            "coordinator_value",
            "coordinator_area",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        app = self.instance.app if self.instance.app_id else None
        if app is not None:
            extra = {k: v for k, v in app.settings.items() if k != "server_url"}
            self.initial.update(
                protocol=app.provider,
                provider_id=app.provider_id,
                server_url=app.settings.get("server_url", ""),
                client_id=app.client_id,
                extra_settings=extra or None,
            )

    def clean_extra_settings(self):
        value = self.cleaned_data.get("extra_settings")
        if value in (None, ""):
            return {}
        if not isinstance(value, dict):
            raise forms.ValidationError(_("Ange ett JSON-objekt, {…}."))
        return value

    def clean(self):
        cleaned = super().clean()
        protocol = cleaned.get("protocol")
        app_id = self.instance.app_id
        others = SocialApp.objects.exclude(pk=app_id) if app_id else SocialApp.objects.all()
        provider_id = cleaned.get("provider_id")
        if provider_id and others.filter(provider_id=provider_id).exists():
            self.add_error("provider_id", _("Kortnamnet används redan av en annan inloggning."))
        client_id = cleaned.get("client_id")
        if protocol == "saml" and client_id and others.filter(client_id=client_id).exists():
            self.add_error("client_id", _("Kortnamnet används redan av en annan inloggning."))
        if protocol == "saml":
            for message in saml.settings_errors(cleaned.get("extra_settings") or {}):
                self.add_error("extra_settings", message)
        if protocol == "openid_connect":
            if not cleaned.get("server_url"):
                self.add_error("server_url", _("Ange utfärdarens adress."))
            has_secret = app_id and self.instance.app.secret
            if not cleaned.get("secret") and not has_secret:
                self.add_error("secret", _("Ange klienthemligheten."))
        return cleaned

    def save(self, commit=True):
        data = self.cleaned_data
        app = self.instance.app if self.instance.app_id else SocialApp()
        app.provider = data["protocol"]
        app.provider_id = data["provider_id"]
        organisation = data["organisation"]
        app.name = (data.get("label") or organisation.name)[:40]
        app.client_id = data["client_id"]
        if data.get("secret"):
            app.secret = data["secret"]
        app_settings = dict(data.get("extra_settings") or {})
        if data["protocol"] == "openid_connect":
            app_settings["server_url"] = data["server_url"]
        app.settings = app_settings
        app.save()
        self.instance.app = app
        return super().save(commit)
