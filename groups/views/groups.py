"""The groups list, a group's page with its roster, the roster's exports."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.forms import parse_id
from parties.models import SamverkArea

from ..access import get_group_for_user, visible_groups
from ..forms import GroupForm, MemberForm
from ..models import GroupMember
from ..services import documents, roster


def _coordinated(user):
    if getattr(user, "is_samverk_admin", False):
        return SamverkArea.objects.order_by("name")
    return user.coordinated_areas.order_by("name")


@require_GET
def group_list(request):
    areas = list(_coordinated(request.user))
    return render(
        request,
        "groups/list.html",
        {
            "groups": visible_groups(request.user).order_by("area__name", "kind", "name"),
            "areas": areas,
            "form": GroupForm() if areas else None,
            "nav": "groups",
        },
    )


@require_POST
def group_create(request):
    area_pk = parse_id(request.POST.get("area", ""))
    area = _coordinated(request.user).filter(pk=area_pk).first() if area_pk else None
    if area is None:
        raise PermissionDenied
    form = GroupForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "groups/list.html",
            {
                "groups": visible_groups(request.user),
                "areas": list(_coordinated(request.user)),
                "form": form,
                "failed_area": area.pk,
                "nav": "groups",
            },
            status=400,
        )
    group = form.save(commit=False)
    group.area = area
    group.save()
    messages.success(request, _("Gruppen skapades."))
    return redirect(group)


def _detail(request, group, *, group_form=None, status=200):
    return render(
        request,
        "groups/detail.html",
        {
            "group": group,
            "members": roster.current_members(group),
            "former": group.members.filter(left_on__isnull=False)
            .exclude(pk__in=roster.current_members(group).values("pk"))
            .select_related("organisation"),
            "meetings": group.meetings.select_related("convener").order_by("-starts_at")[:50],
            "group_form": group_form
            or (GroupForm(instance=group, prefix="group") if group.user_manages else None),
            "nav": "groups",
        },
        status=status,
    )


@require_GET
def group_detail(request, pk):
    return _detail(request, get_group_for_user(request.user, pk))


@require_POST
def group_edit(request, pk):
    group = get_group_for_user(request.user, pk, manage=True)
    form = GroupForm(request.POST, instance=group, prefix="group")
    if not form.is_valid():
        return _detail(request, group, group_form=form, status=400)
    form.save()
    messages.success(request, _("Gruppens inställningar sparades."))
    return redirect(group)


@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    """Adding a member on its own page: its lists of the area's users and contact persons
    grow with the data, so the roster page does not carry them (issue 18, bench)."""
    group = get_group_for_user(request.user, pk, manage=True)
    form = MemberForm(request.POST or None, group=group)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Medlemmen lades till."))
            if "another" in request.POST:
                return redirect("groups:member_add", pk=group.pk)
            return redirect(group)
        status = 400
    return render(
        request,
        "groups/member_form.html",
        {"group": group, "member": None, "form": form, "nav": "groups"},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def member_edit(request, pk, member_pk):
    group = get_group_for_user(request.user, pk, manage=True)
    member = get_object_or_404(GroupMember, pk=member_pk, group=group)
    form = MemberForm(request.POST or None, instance=member, group=group)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Medlemmen sparades."))
            return redirect(group)
        status = 400
    else:
        status = 200
    return render(
        request,
        "groups/member_form.html",
        {"group": group, "member": member, "form": form},
        status=status,
    )


@require_POST
def roster_confirm(request, pk):
    group = get_group_for_user(request.user, pk, manage=True)
    roster.confirm_roster(group)
    messages.success(request, _("Medlemslistan är bekräftad i dag."))
    return redirect(group)


@require_GET
def roster_export(request, pk, file_format):
    fmt = file_format
    from parties.services.transfer import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE

    group = get_group_for_user(request.user, pk)
    if fmt == "csv":
        content, content_type = roster.export_csv(group), CSV_CONTENT_TYPE
    elif fmt == "xlsx":
        content, content_type = roster.export_xlsx(group), XLSX_CONTENT_TYPE
    else:
        raise PermissionDenied
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="grupp-{group.pk}.{fmt}"'
    return response


@require_GET
def roster_pdf(request, pk):
    group = get_group_for_user(request.user, pk)
    response = HttpResponse(documents.roster_pdf(group), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="grupp-{group.pk}.pdf"'
    return response
