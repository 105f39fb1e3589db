"""Two people book the same room for the same time at the same moment: exactly one booking.

Runs on PostgreSQL (CI runs the whole suite there too); SQLite serialises all
writers, so the race this guards against cannot happen there.
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from meetings.models import Meeting
from meetings.services import booking as booking_rules
from tests.factories import ConsentFactory, RoomFactory

from .conftest import in_days, individual, party

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are a PostgreSQL matter; CI runs this on PostgreSQL",
    ),
]


def test_two_simultaneous_bookings_of_one_room_give_one_meeting(
    make_booking, case, orgs, monkeypatch
):
    ConsentFactory(case=case, organisations=list(orgs.values()))
    room = RoomFactory(area=case.area)
    start, end = in_days(30)

    # Widen the window between "room is free" and "meeting saved" so that, without
    # the row lock, both requests would pass the check before either saves.
    original_check = booking_rules.check_room_free

    def slow_check(*args, **kwargs):
        original_check(*args, **kwargs)
        time.sleep(0.5)

    monkeypatch.setattr(booking_rules, "check_room_free", slow_check)

    barrier = threading.Barrier(2)
    outcomes = []

    def book():
        try:
            booking = make_booking(
                starts_at=start,
                ends_at=end,
                room=room,
                participants=[party(orgs["af"]), individual(case)],
            )
            barrier.wait()
            booking_rules.book_meeting(
                booking, accepted={"*"} | {w.code for w in booking_rules.booking_warnings(booking)}
            )
            outcomes.append("booked")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=book) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes.count("booked") == 1, outcomes
    assert any("redan bokat" in outcome for outcome in outcomes)
    assert Meeting.objects.filter(room=room).count() == 1
