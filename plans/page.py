"""The plan page's content: its field groups, goal tree and action rows, with what each
row offers and any conflict or error to show beside it (the views only render it)."""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from common.markup import Options
from parties.models import Organisation, User

from .markup import RowMarkup
from .models import Action, ActionPlan
from .services.autosave import ACTION_FIELDS

# (name, multi-line) in the order of the forms in the seeds, grouped by heading.
SITUATION_FIELDS = [
    ("current_situation", True),
    ("desired_situation", True),
    ("way_forward", True),
]
FOLLOW_UP_FIELDS = [
    ("follow_up_who", False),
    ("follow_up_where", False),
    ("follow_up_when", False),
    ("follow_up_responsible", False),
]
COORDINATOR_FIELDS = [("coordinator_name", False), ("coordinator_contact", False)]
WORDS_FIELDS = [("individual_words", True)]
FIELD_GROUPS = {
    "situation": SITUATION_FIELDS,
    "follow_up": FOLLOW_UP_FIELDS,
    "coordinator": COORDINATOR_FIELDS,
    "words": WORDS_FIELDS,
}


@dataclass
class FieldView:
    key: str
    label: str
    value: str
    version: int
    multiline: bool
    conflict: object = None
    error: str = ""
    saved: dict | None = None


class Choices:
    """What the selects of an action row offer; looked up only when needed."""

    def __init__(self, plan: ActionPlan):
        self.plan = plan

    @cached_property
    def organisations(self):
        return list(Organisation.objects.only("pk", "name").order_by("name"))

    @cached_property
    def people(self):
        """Staff who can be named responsible: the meeting's staff, convener and owner."""
        meeting = self.plan.meeting
        # A subquery rather than a join: OR across the join made the database scan
        # every participation of every meeting.
        staff = meeting.participants.filter(removed_at__isnull=True, user__isnull=False)
        return list(
            User.objects.filter(
                Q(pk__in=staff.values("user_id"))
                | Q(pk__in=[meeting.convened_by_id, meeting.case.owner_id])
            )
            .only(*PERSON_FIELDS)
            .order_by("first_name", "last_name")
        )

    @cached_property
    def participants(self):
        """Everyone taking part who can be named responsible, with or without a login:
        staff, contact persons, the individual (issue 17)."""
        from meetings.models import Participant

        return list(
            Participant.objects.filter(meeting=self.plan.meeting, removed_at__isnull=True)
            .select_related("organisation")
            .order_by("name", "pk")
        )

    @cached_property
    def participant_ids(self):
        named = set(
            self.plan.actions.exclude(responsible_participant=None).values_list(
                "responsible_participant_id", flat=True
            )
        )
        return {p.pk for p in self.participants} | named

    @cached_property
    def organisation_ids(self):
        return {o.pk for o in self.organisations}

    @cached_property
    def user_ids(self):
        # Whoever is already named on a row stays a valid choice there.
        named = set(
            self.plan.actions.exclude(responsible_user=None).values_list(
                "responsible_user_id", flat=True
            )
        )
        return {u.pk for u in self.people} | named


# What a person's name needs (User.__str__): a select option, a responsible person.
PERSON_FIELDS = ("pk", "first_name", "last_name", "username")


def field_views(plan, spec, *, conflicts, posted, errors, choices, markup):
    views = []
    for name, multiline in spec:
        conflict = conflicts.get(name)
        value, version = getattr(plan, name), plan.version_of(name)
        if conflict:
            value, version = conflict.mine, conflict.version
        elif posted and name in posted.fields:
            value, version = posted.fields[name]
        view = FieldView(
            key=name,
            label=str(ActionPlan._meta.get_field(name).verbose_name),
            value=value,
            version=version,
            multiline=multiline,
            conflict=conflict_view(conflict, choices) if conflict else None,
            error=errors.get(name, ""),
            saved=plan.field_saved.get(name),
        )
        view.html = markup.field(view)
        views.append(view)
    return views


def goal_tree(plan, *, conflicts, posted, choices, markup, errors=None):
    goals = list(plan.goals.all())
    children = {}
    for goal in goals:
        goal.error = (errors or {}).get(f"goal-{goal.pk}-text", "")
        conflict = conflicts.get(f"goal-{goal.pk}-text")
        goal.conflict = conflict_view(conflict, choices) if conflict else None
        goal.text_version = goal.version_of("text")
        if conflict:
            goal.text, goal.text_version = conflict.mine, conflict.version
        elif posted and goal.pk in posted.goals:
            goal.text, goal.text_version = posted.goals[goal.pk]
        children.setdefault(goal.parent_id, []).append(goal)
    tops = children.get(None, [])
    for n, goal in enumerate(tops, start=1):
        goal.row = markup.goal(goal, number=n, first=n == 1, last=n == len(tops))
        goal.add_button = markup.add_subgoal(goal, number=n)
        goal.children = children.get(goal.pk, [])
        for m, sub in enumerate(goal.children, start=1):
            sub.row = markup.goal(
                sub, number=m, parent_number=n, first=m == 1, last=m == len(goal.children)
            )
    return tops


def plan_actions(plan):
    """The plan's actions, and the previous plan's done ones ("Klart sedan förra planen"),
    read in one query (their names are linked by `link_names`)."""
    plan_ids = [plan.pk] + ([plan.previous_id] if plan.previous_id else [])
    actions, previous_done = [], []
    for action in Action.objects.filter(plan_id__in=plan_ids):
        if action.plan_id == plan.pk:
            action.plan = plan
            actions.append(action)
        elif action.done_on is not None and action.what != "":
            previous_done.append(action)
    return actions, previous_done


def link_names(choices, *, participants, actions, versions):
    """The organisations and people the rows name, taken from what the page reads anyway
    (every organisation, for the select; the participants with their users) instead of
    a join in each query. Only people found in neither (a convener or owner not taking
    part, someone named on a row or who froze a version) are read, in one query that
    is usually not needed. Fills `choices.people`."""
    meeting = choices.plan.meeting
    organisations = {o.pk: o for o in choices.organisations}
    users = {p.user_id: p.user for p in participants if p.user_id}
    staff = users.keys() | {meeting.convened_by_id, meeting.case.owner_id}
    wanted = staff | {a.responsible_user_id for a in actions} | {v.frozen_by_id for v in versions}
    missing = wanted - users.keys() - {None}
    if missing:
        users.update((u.pk, u) for u in User.objects.filter(pk__in=missing).only(*PERSON_FIELDS))
    choices.people = [users[pk] for pk in staff if pk in users]  # fills the cached_property

    def link(row, field, known):
        # Left alone when not found (created a moment ago): the field then loads itself.
        related = known.get(getattr(row, f"{field}_id"))
        if related is not None:
            setattr(row, field, related)

    for p in participants:
        link(p, "organisation", organisations)
    for a in actions:
        link(a, "responsible_organisation", organisations)
        link(a, "responsible_user", users)
    for v in versions:
        link(v, "frozen_by", users)


def action_rows(actions, choices, *, conflicts, posted, errors, markup, today):
    people = {u.pk: u for u in choices.people}
    for action in actions:
        prefix = f"action-{action.pk}-"
        conflict = next((c for k, c in conflicts.items() if k.startswith(prefix)), None)
        action.conflict = conflict_view(conflict, choices) if conflict else None
        action.errors = {k[len(prefix) :]: m for k, m in errors.items() if k.startswith(prefix)}
        action.versions = {name: action.version_of(name) for name in ACTION_FIELDS}
        # Show what the sender wrote, on top of the saved row: nothing is lost.
        if conflict:
            name = conflict.key[len(prefix) :]
            setattr(action, ACTION_FIELDS[name], conflict.mine)
            action.versions[name] = conflict.version
        elif posted and action.pk in posted.actions:
            for name, (value, seen) in posted.actions[action.pk].items():
                setattr(action, ACTION_FIELDS[name], value)
                action.versions[name] = seen
        if action.responsible_user_id and action.responsible_user_id not in people:
            people[action.responsible_user_id] = action.responsible_user
    choices.people_for_rows = sorted(people.values(), key=lambda u: (str(u), u.pk))
    # The options of the selects, escaped once for all rows by common.markup.Options.
    organisations = Options((o.pk, o.name) for o in choices.organisations)
    people_rows = Options((u.pk, str(u)) for u in choices.people_for_rows)
    taking_part = {p.pk: p for p in choices.participants}
    for action in actions:  # someone named in an earlier meeting stays a choice on the row
        named = action.responsible_participant_id
        if named and named not in taking_part:
            taking_part[named] = action.responsible_participant
    participant_rows = Options(
        (p.pk, f"{p.name} ({p.party_name})" if p.party_name else p.name)
        for p in sorted(taking_part.values(), key=lambda p: (p.name, p.pk))
    )
    for number, action in enumerate(actions, start=1):
        action.row = markup.action(
            action,
            number=number,
            first=number == 1,
            last=number == len(actions),
            today=today,
            organisations=organisations,
            people=people_rows,
            participants=participant_rows,
        )
    return actions


def page_context(request, plan, *, conflicts=(), errors=None, unsaved=None):
    """The page; after a refused no-JS POST, `conflicts` (saved by someone else) and
    `unsaved` (everything posted, when bad input stopped the whole save) are shown
    in the fields instead of the stored values."""
    by_key = {c.key: c for c in conflicts}
    errors = errors or {}
    choices = Choices(plan)
    meeting = plan.meeting
    today = timezone.localdate()
    autosave_url = reverse("plans:autosave", args=[meeting.pk])
    rows_url = reverse("plans:rows", args=[meeting.pk])
    markup = RowMarkup(autosave_url=autosave_url, rows_url=rows_url)
    # The organisation is joined only to sort by its name; link_names sets it.
    participants = list(meeting.participants.filter(removed_at__isnull=True).select_related("user"))
    actions, previous_done = plan_actions(plan)
    # The number of signatures counted by the database instead of fetched per version.
    versions = list(
        plan.versions.defer("snapshot")
        .annotate(signature_count=Count("signatures"))
        .order_by("-number")
    )
    link_names(
        choices, participants=participants, actions=actions + previous_done, versions=versions
    )
    choices.participants = sorted(participants, key=lambda p: (p.name, p.pk))  # the cache
    for p in participants:  # "Name (party) – attendance", once per row instead of per lookup
        p.presence = f"{p.name} ({p.party_name})" if p.party_name else p.name
        p.presence += f" – {p.get_attendance_display()}"
    action_rows(
        actions,
        choices,
        conflicts=by_key,
        posted=unsaved,
        errors=errors,
        markup=markup,
        today=today,
    )
    latest = versions[0] if versions else None
    return {
        "plan": plan,
        "meeting": meeting,
        "case": meeting.case,
        **{
            f"{group}_fields": field_views(
                plan,
                spec,
                conflicts=by_key,
                posted=unsaved,
                errors=errors,
                choices=choices,
                markup=markup,
            )
            for group, spec in FIELD_GROUPS.items()
        },
        "goals": goal_tree(
            plan, conflicts=by_key, posted=unsaved, choices=choices, markup=markup, errors=errors
        ),
        "participants": participants,
        "autosave_url": autosave_url,
        "rows_url": rows_url,
        "actions": actions,
        "organisations": choices.organisations,
        "people": choices.people_for_rows,
        "versions": versions,
        "latest_version": latest,
        "changed_since_latest": latest is not None and plan.updated_at > latest.frozen_at,
        "previous_done": previous_done,
        "conflicts": conflicts,
        "errors": errors,
        "today": today,
        "nav": "cases",
    }


def conflict_view(conflict, choices):
    """Both values, readable: select and date fields show names and dates, not ids."""

    def readable(value):
        if value is None or value == "":
            return "–"
        if conflict.key.endswith("-responsible_organisation"):
            return next((o.name for o in choices.organisations if o.pk == value), value)
        if conflict.key.endswith("-responsible_user"):
            user = User.objects.filter(pk=value).first()
            return str(user) if user else value
        if hasattr(value, "isoformat"):
            return value.isoformat()
        return value

    def raw(value):
        if value is None:
            return ""
        return value.isoformat() if hasattr(value, "isoformat") else value

    return {
        "key": conflict.key,
        "version": conflict.version,
        "mine": readable(conflict.mine),
        "theirs": readable(conflict.theirs),
        "theirs_raw": raw(conflict.theirs),
    }
