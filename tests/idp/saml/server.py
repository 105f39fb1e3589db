"""A real SAML 2.0 IdP for the tests: pysaml2's ``saml2.server.Server`` behind a small HTTP
server on 127.0.0.1, run in a thread by the ``saml_idp`` fixture (tests/idp/saml/fixtures.py).

What it does, as an organisation's ADFS or SITHS IdP would:
- ``GET /metadata``: its metadata (entity id, SSO endpoint, signing certificate);
- ``GET /sso/redirect?SAMLRequest=...``: parses the SP's AuthnRequest (HTTP-Redirect binding;
  the SP must be in its metadata, ``trust_sp``) and shows a login page;
- ``POST /sso/login``: checks the user's password and answers with the HTTP-POST binding: a page
  whose form (button *Fortsätt*) posts a ``SAMLResponse`` with a signed assertion to the ACS
  the AuthnRequest named, and the ``RelayState`` back.

The AuthnContextClassRef is the first one the AuthnRequest asked for, else ``authn_class``.
``fault`` makes the next answers wrong the way an attacker or a broken IdP would:
``"wrong_signature"`` (signed by another key under the same name), ``"wrong_audience"`` (an
assertion for another service), ``"expired"`` (NotOnOrAfter in the past, beyond the SP's
allowed clock drift), ``"unsigned"`` (neither response nor assertion signed),
``"unsolicited"`` (answering no AuthnRequest, as an IdP-initiated login would).
"""

import base64
import html
import secrets
import threading
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from saml2 import BINDING_HTTP_REDIRECT, saml
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from .keys import make_key_pair

XMLSEC = "/usr/bin/xmlsec1"
PASSWORD_PROTECTED = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
FAULTS = {None, "wrong_signature", "wrong_audience", "expired", "unsigned", "unsolicited"}

# The attributes the IdP releases (names as ADFS/SITHS IdPs commonly send them, by OID).
UID = "urn:oid:0.9.2342.19200300.100.1.1"
MAIL = "urn:oid:0.9.2342.19200300.100.1.3"
GIVEN_NAME = "urn:oid:2.5.4.42"
SURNAME = "urn:oid:2.5.4.4"
EMAIL_VERIFIED = "email_verified"


def _config(entity_id, base_url, key_pair, lifetime_minutes):
    config = IdPConfig()
    config.load(
        {
            "entityid": entity_id,
            "xmlsec_binary": XMLSEC,
            "key_file": str(key_pair.key_file),
            "cert_file": str(key_pair.cert_file),
            "delete_tmpfiles": True,
            "metadata": {},
            "service": {
                "idp": {
                    "name": "Test-IdP",
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{base_url}/sso/redirect", BINDING_HTTP_REDIRECT),
                        ],
                    },
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "want_authn_requests_signed": False,
                    "policy": {
                        "default": {
                            "lifetime": {"minutes": lifetime_minutes},
                            "attribute_restrictions": None,
                            "name_form": NAME_FORMAT_URI,
                        },
                    },
                },
            },
        }
    )
    return config


class SamlIdp:
    def __init__(self, directory: Path, host="127.0.0.1"):
        self.keys = make_key_pair(directory, "idp", "Test-IdP")
        # Another key, same name: what a forged assertion would be signed with.
        self.rogue_keys = make_key_pair(directory, "rogue", "Test-IdP")
        self.httpd = ThreadingHTTPServer((host, 0), self._handler())
        self.base_url = f"http://{host}:{self.httpd.server_address[1]}"
        self.entity_id = f"{self.base_url}/metadata"
        self.sso_url = f"{self.base_url}/sso/redirect"
        self.server = Server(config=_config(self.entity_id, self.base_url, self.keys, 5))
        self.rogue = Server(config=_config(self.entity_id, self.base_url, self.rogue_keys, 5))
        self.stale = Server(config=_config(self.entity_id, self.base_url, self.keys, -15))
        self.users = {}
        self.fault = None
        self.authn_class = PASSWORD_PROTECTED
        self.authn_requests = []  # every AuthnRequest parsed, for the tests to look at
        self._pending = {}
        self.errors = []  # tracebacks of requests the IdP failed on
        self._thread = None

    @property
    def cert_base64(self):
        return self.keys.cert_base64

    def add_user(
        self, login, password, uid, email, given_name="", surname="", verified=True, extra=None
    ):
        """A user of the IdP; ``extra`` adds attributes by name (a list of values each)."""
        self.users[login] = {
            "password": password,
            "uid": uid,
            "identity": {
                UID: [uid],
                MAIL: [email],
                GIVEN_NAME: [given_name],
                SURNAME: [surname],
                EMAIL_VERIFIED: ["true" if verified else "false"],
                **(extra or {}),
            },
        }

    def trust_sp(self, sp_metadata_xml: str):
        """Loads a service provider's metadata (Samverk's /konto/sso/saml/<slug>/metadata/)."""
        for server in (self.server, self.rogue, self.stale):
            server.metadata.load("inline", sp_metadata_xml)

    def metadata_xml(self) -> str:
        return create_metadata_string(None, config=self.server.config).decode()

    def start(self):
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=10)

    # -- the SAML exchange -------------------------------------------------------------

    def parse_request(self, saml_request, relay_state):
        parsed = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        message = parsed.message
        self.authn_requests.append(message)
        key = secrets.token_urlsafe(16)
        self._pending[key] = (message, relay_state)
        return key

    def authn_class_for(self, message):
        requested = message.requested_authn_context
        if requested is not None and requested.authn_context_class_ref:
            return requested.authn_context_class_ref[0].text
        return self.authn_class

    def respond(self, key, login, password):
        """The HTTP-POST form for a pending request, or None when the login is wrong."""
        user = self.users.get(login)
        if user is None or not secrets.compare_digest(user["password"].encode(), password.encode()):
            return None
        assert self.fault in FAULTS, self.fault
        message, relay_state = self._pending.pop(key)
        sp_entity_id = message.issuer.text
        server = {"wrong_signature": self.rogue, "expired": self.stale}.get(self.fault, self.server)
        audience = "https://annan-tjanst.example/saml" if self.fault == "wrong_audience" else None
        signed = self.fault != "unsigned"
        response = server.create_authn_response(
            user["identity"],
            in_response_to=None if self.fault == "unsolicited" else message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=audience or sp_entity_id,
            name_id=saml.NameID(
                format=NAMEID_FORMAT_PERSISTENT,
                sp_name_qualifier=sp_entity_id,
                name_qualifier=self.entity_id,
                text=user["uid"],
            ),
            authn={"class_ref": self.authn_class_for(message), "authn_auth": self.entity_id},
            sign_assertion=signed,
            sign_response=False,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        # The HTTP-POST binding: the response, base64-encoded, in a form field.
        fields = {"SAMLResponse": base64.b64encode(str(response).encode()).decode()}
        if relay_state:
            fields["RelayState"] = relay_state
        return message.assertion_consumer_service_url, fields

    # -- HTTP ----------------------------------------------------------------------------

    def _handler(self):
        idp = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 -- quiet in the test output
                pass

            def _send(self, status, body, content_type="text/html; charset=utf-8"):
                data = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def handle_one_request(self):
                try:
                    super().handle_one_request()
                except Exception:  # noqa: BLE001 -- shown in the test's output, answered 500
                    idp.errors.append(traceback.format_exc())
                    traceback.print_exc()
                    self._send(500, _page("Fel i IdP", ""))

            def do_GET(self):  # noqa: N802
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/metadata":
                    return self._send(200, idp.metadata_xml(), "application/samlmetadata+xml")
                if url.path == "/sso/redirect" and "SAMLRequest" in query:
                    try:
                        key = idp.parse_request(query["SAMLRequest"], query.get("RelayState"))
                    except Exception as error:  # noqa: BLE001 -- an IdP answers 400
                        return self._send(400, _page("Felaktig begäran", html.escape(str(error))))
                    return self._send(200, _login_page(key))
                return self._send(404, _page("Finns inte", ""))

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlparse(self.path).path != "/sso/login" or form.get("key") not in idp._pending:
                    return self._send(400, _page("Felaktig begäran", ""))
                answer = idp.respond(form["key"], form.get("login", ""), form.get("password", ""))
                if answer is None:
                    return self._send(200, _login_page(form["key"], error=True))
                action, fields = answer
                return self._send(200, _post_page(action, fields))

        return Handler


def _page(title, body):
    return (
        '<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">'
        f"<title>{title} – Test-IdP</title></head><body><main><h1>{title}</h1>{body}</main>"
        "</body></html>"
    )


def _login_page(key, error=False):
    message = "<p role='alert'>Fel e-postadress eller lösenord.</p>" if error else ""
    return _page(
        "Test-IdP: logga in",
        f"{message}<form method='post' action='/sso/login'>"
        f"<input type='hidden' name='key' value='{key}'>"
        "<p><label for='login'>E-postadress</label> <input id='login' name='login'></p>"
        "<p><label for='password'>Lösenord</label> "
        "<input id='password' name='password' type='password'></p>"
        "<button type='submit'>Logga in hos IdP</button></form>",
    )


def _post_page(action, fields):
    inputs = "".join(
        f"<input type='hidden' name='{html.escape(name)}' value='{html.escape(value)}'>"
        for name, value in fields.items()
        if value is not None
    )
    return _page(
        "Test-IdP: inloggad",
        f"<form method='post' action='{html.escape(action)}'>{inputs}"
        "<button type='submit'>Fortsätt</button></form>",
    )
