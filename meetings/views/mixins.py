"""What every meeting view shares: the meeting, its access checks, service errors on forms."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import cached_property

from ..access import can_change_meeting, can_manage_booking, get_meeting_for_user


def add_errors(form, error: ValidationError):
    """Put a service's ValidationError beside the field it names, else on top of the form."""
    for item in error.error_list if not hasattr(error, "error_dict") else [error]:
        if hasattr(item, "error_dict"):
            for field, errors in item.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, item)


class MeetingMixin:
    @cached_property
    def meeting(self):
        return get_meeting_for_user(self.request.user, self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        self.meeting  # noqa: B018 - 404 for the uninvolved, whatever the method
        return super().dispatch(request, *args, **kwargs)

    def require_change(self):
        if not can_change_meeting(self.request.user, self.meeting):
            raise PermissionDenied

    def require_manage(self):
        if not can_manage_booking(self.request.user, self.meeting):
            raise PermissionDenied


class MeetingChangeMixin(MeetingMixin):
    """Views that change the meeting: 404 for the uninvolved (from self.meeting), then 403
    for those who may open it but not change it, whatever the method."""

    def dispatch(self, request, *args, **kwargs):
        self.require_change()
        return super().dispatch(request, *args, **kwargs)


class MeetingManageMixin(MeetingMixin):
    """Views that change the booking (move, cancel, kallelse, participants): 404 for the
    uninvolved, then 403 for those who are neither convener, owner nor the area's
    coordinator (meetings.access.can_manage_booking)."""

    def dispatch(self, request, *args, **kwargs):
        self.require_manage()
        return super().dispatch(request, *args, **kwargs)
