"""The Django admin for models that hold an individual's data (DESIGN: data protection).

The administrator role manages lists and settings and does not open ärenden, so the admin
shows no individual's data at all: lists and pages show ids, area, status and dates, and
never ``str()`` of such an object, which is often the individual's name (an ärende's) or
an e-mail address (a message's). Django prints ``str()`` in more places than a
ModelAdmin's fields: the change page's subtitle and breadcrumbs, its history page, the
admin's own log ("Senaste åtgärder"), a raw-id field's label, the delete confirmation and
the messages after a save or a deletion. ``NamelessAdminMixin`` puts the object's label
("Ärende 12") in each of them.
"""

import json

from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.contrib.contenttypes.models import ContentType
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _


class NamelessRawIdWidget(ForeignKeyRawIdWidget):
    """A raw-id field without the related object's ``str()`` beside the id."""

    def label_and_url_for_value(self, value):
        return "", ""


class Label:
    """Stands in for the object where the admin's templates print it: its pk and a label."""

    def __init__(self, obj, text):
        self.pk = obj.pk
        self.text = text

    def __str__(self):
        return self.text


class NamelessAdminMixin:
    """For a ModelAdmin of a model whose ``str()`` (or a related object's, in
    ``nameless_raw_id_fields``) can be personal data: names objects by verbose name and id."""

    nameless_raw_id_fields: tuple[str, ...] = ()
    view_on_site = False

    def object_label(self, obj) -> str:
        return f"{capfirst(self.opts.verbose_name)} {obj.pk}"

    def action_checkbox(self, obj):
        # Django labels each row's checkbox with str(obj): the label instead, through a
        # stand-in (the checkbox's value is its pk, as before).
        return super().action_checkbox(Label(obj, self.object_label(obj)))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.nameless_raw_id_fields:
            kwargs["widget"] = NamelessRawIdWidget(
                db_field.remote_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["original"] = Label(obj, self.object_label(obj))
            context["subtitle"] = self.object_label(obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            label = self.object_label(obj)
            extra_context = {
                "title": _("Ändringshistorik: %(object)s") % {"object": label},
                "object": Label(obj, label),
                **(extra_context or {}),
            }
        return super().history_view(request, object_id, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            extra_context = {"object": Label(obj, self.object_label(obj)), **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def response_change(self, request, obj):
        # The success message names the object by str(): message_user swaps in the label.
        request._nameless_object = obj
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        request._nameless_object = obj
        return super().response_add(request, obj, post_url_continue)

    def response_delete(self, request, obj_display, obj_id):
        label = f"{capfirst(self.opts.verbose_name)} {obj_id}"
        return super().response_delete(request, label, obj_id)

    def message_user(self, request, message, *args, **kwargs):
        obj = getattr(request, "_nameless_object", None)
        if obj is not None:
            name, label = conditional_escape(str(obj)), conditional_escape(self.object_label(obj))
            # Every part escaped (the message as Django built it, the name, the label).
            message = mark_safe(conditional_escape(message).replace(name, label))  # noqa: S308
        return super().message_user(request, message, *args, **kwargs)

    def get_deleted_objects(self, objs, request):
        # Django lists every object a deletion takes along by its str(): here by label,
        # with the counts per kind as usual.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        labels = [self.object_label(obj) for obj in objs]
        protected = [_("%(n)d skyddade objekt") % {"n": len(protected)}] if protected else []
        return labels, counts, perms_needed, protected

    def _log_entries(self, request, objs, flag, message=""):
        from django.contrib.admin.models import LogEntry

        if isinstance(message, list):
            message = json.dumps(message)
        entries = [
            LogEntry(
                user_id=request.user.pk,
                content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
                object_id=str(obj.pk),
                object_repr=self.object_label(obj)[:200],
                action_flag=flag,
                change_message=message,
            )
            for obj in objs
        ]
        created = LogEntry.objects.bulk_create(entries)
        return created[0] if len(created) == 1 else created

    def log_addition(self, request, obj, message):
        from django.contrib.admin.models import ADDITION

        return self._log_entries(request, [obj], ADDITION, message)

    def log_change(self, request, obj, message):
        from django.contrib.admin.models import CHANGE

        return self._log_entries(request, [obj], CHANGE, message)

    def log_deletions(self, request, queryset):
        from django.contrib.admin.models import DELETION

        return self._log_entries(request, list(queryset), DELETION)
