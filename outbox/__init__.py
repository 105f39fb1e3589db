"""Every e-mail Samverk sends, and the one way to write a new kind of message.

1. Three templates: templates/emails/<kind>-subject.txt (one line), <kind>-body.txt
   (plain text, not autoescaped) and <kind>-body.html (extends emails/base.html,
   autoescaped; links with ``{% load email_tags %}`` ``|links`` or ``<a href>``). Shared
   fragments are includes named templates/emails/_<name>.txt / .html.
2. Queue it, inside the caller's transaction, with
   ``outbox.services.queue_templated(kind, context=..., to_email=..., to_name=...,
   reply_to=..., attachments_builder=..., builder_args=..., related=...)``; absolute links
   for the context come from ``common.links.absolute``.
3. Attachments are built by the worker at send time: register a builder
   (outbox.builders.register) and name it in ``attachments_builder``.

outbox.compose renders the templates; its ``finish`` sees every subject, text and HTML
before a row is stored, so rules for all mail go there.
"""
