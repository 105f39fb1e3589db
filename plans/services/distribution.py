"""After the meeting: sending the fastställda plan to the participants."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..enums import PlanAction
from ..models import ActionPlan, PlanVersion

PLAN_BUILDER = "plans.plan_pdf"


def latest_version(plan: ActionPlan) -> PlanVersion | None:
    return plan.versions.select_related("frozen_by").order_by("-number").first()


def individual_by_email(case) -> bool:
    """The individual asked for e-mail and gave an address; otherwise a letter by post."""
    from cases.enums import ContactPreference

    return case.contact_preference == ContactPreference.EMAIL and bool(case.email)


def _plan_mail(*, plan, version, to_email, to_name, related, kind, for_individual):
    """A message of ``kind`` (templates/emails/<kind>-*): "plan" to a participant,
    "plan-individual" to the individual."""
    from django.urls import reverse
    from django.utils import formats

    from common.links import absolute
    from outbox.services import queue_templated

    meeting = plan.meeting
    day = formats.date_format(timezone.localtime(meeting.starts_at), "j F Y")
    context = {
        "meeting": meeting,
        "name": to_name,
        "day": day,
        "version": version,
        "plan_url": absolute(version.get_absolute_url()),
        "pdf_url": absolute(reverse("plans:pdf", args=[meeting.pk]) + f"?version={version.number}"),
        "coordinator_name": plan.coordinator_name,
        "coordinator_contact": plan.coordinator_contact,
    }
    return queue_templated(
        kind,
        context=context,
        to_email=to_email,
        to_name=to_name,
        reply_to=meeting.convened_by.email,
        attachments_builder=PLAN_BUILDER,
        builder_args={
            "plan": plan.pk,
            "version": version.number,
            "individual": for_individual,
        },
        related=related,
    )


def distribute_plan(*, plan: ActionPlan, user) -> int:
    """ "Skicka handlingsplanen": the latest fastställd version to every participant
    (not removed; present or not) who has an e-mail address, with a link that
    requires login, and to the individual by e-mail (with the PDF) when they asked
    for e-mail; otherwise the individual gets the letter PDF by post (printed from
    the plan page). Refused before the plan is fastställd. Records "plan.distributed".
    Returns the number of messages queued."""
    from meetings.enums import ParticipantKind

    version = latest_version(plan)
    if version is None:
        raise ValidationError(_("Fastställ handlingsplanen innan den skickas."))
    meeting = plan.meeting
    case = meeting.case
    people = list(
        meeting.participants.filter(removed_at__isnull=True).select_related("organisation")
    )
    individual = next((p for p in people if p.kind == ParticipantKind.INDIVIDUAL), None)
    sent = 0
    with transaction.atomic():
        for participant in people:
            if participant.kind == ParticipantKind.INDIVIDUAL or not participant.email:
                continue
            _plan_mail(
                plan=plan,
                version=version,
                to_email=participant.email,
                to_name=participant.name,
                related=participant,
                kind="plan",
                for_individual=False,
            )
            sent += 1
        by_email = individual_by_email(case)
        if by_email:
            _plan_mail(
                plan=plan,
                version=version,
                to_email=case.email,
                to_name=case.individual_name,
                related=individual or case,
                kind="plan-individual",
                for_individual=True,
            )
            sent += 1
        case.log(
            user,
            PlanAction.DISTRIBUTED,
            meeting=meeting.pk,
            version=version.number,
            count=sent,
            individual="email" if by_email else "letter",
        )
    return sent


def delivery_states(plan: ActionPlan, participants) -> dict:
    """The latest plan message per participant pk (and "case" for the individual
    when they are not a participant), for the plan page."""
    from outbox.services import messages_for

    states = messages_for(participants, attachments_builder=PLAN_BUILDER)
    case_message = messages_for([plan.meeting.case], attachments_builder=PLAN_BUILDER)
    if case_message:
        states["case"] = next(iter(case_message.values()))
    return states
