from django.contrib import admin

from .models import Group, GroupMember


class MemberInline(admin.TabularInline):
    model = GroupMember
    extra = 0
    fields = ["name", "organisation", "unit", "role", "email", "phone", "joined_on", "left_on"]
    autocomplete_fields = []


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "area"]
    list_filter = ["area", "kind"]
    inlines = [MemberInline]
