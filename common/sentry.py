"""Error reports through the Sentry SDK (SENTRY_DSN, optional: pip install -e '.[sentry]'),
with personal data removed before anything leaves the server (scrub_event, the SDK's
before_send): no request body, cookies, headers or query string, the user as an id only, no
local variables of the frames, and personnummer and link tokens redacted from every text
left (messages, exception values, breadcrumbs, the URL)."""

from .logging import redact_tokens
from .personnummer import redact

KEPT_HEADERS = {"user-agent", "x-request-id", "content-type", "content-length", "host"}


def _clean(text):
    return redact(redact_tokens(text)) if isinstance(text, str) else text


def _clean_tree(value):
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, list | tuple):
        return [_clean_tree(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean_tree(item) for key, item in value.items()}
    return value


def scrub_event(event, hint=None):
    request = event.get("request")
    if request:
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
        if "url" in request:
            request["url"] = _clean(request["url"])
    user = event.get("user")
    if user:
        event["user"] = {"id": user["id"]} if user.get("id") is not None else {}
    event.pop("extra", None)
    for exception in (event.get("exception") or {}).get("values", []):
        exception["value"] = _clean(exception.get("value"))
        for frame in (exception.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    for thread in (event.get("threads") or {}).get("values", []):
        for frame in (thread.get("stacktrace") or {}).get("frames", []):
            frame.pop("vars", None)
    if "message" in event:
        event["message"] = _clean(event["message"])
    if "logentry" in event:
        event["logentry"] = _clean_tree(event["logentry"])
    if "breadcrumbs" in event:
        event["breadcrumbs"] = _clean_tree(event["breadcrumbs"])
    return event


def init(dsn: str) -> None:
    """Start the SDK if it is installed (check --deploy reports samverk.E005 if not)."""
    try:
        import sentry_sdk
    except ImportError:
        return
    sentry_sdk.init(
        dsn=dsn,
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub_event,
        before_send_transaction=scrub_event,
    )
