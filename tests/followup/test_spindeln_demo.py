"""load_demo_data gives every area one closed Spindeln round this year, once; Sävsjö's went
to its styrgrupp and its radar chart has the other areas to compare with."""

import io

from django.core.management import call_command

from followup.models import SurveyRound
from followup.services import spindeln


def test_demo_data_has_a_closed_round_per_area(db):
    call_command("load_demo_data", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    rounds = list(SurveyRound.objects.select_related("area"))
    assert len(rounds) == len({r.area_id for r in rounds}) >= 2
    assert all(r.is_closed for r in rounds)
    savsjo = next(r for r in rounds if r.area.slug == "savsjo")
    assert savsjo.invitations.filter(member__isnull=False).exists()
    result = spindeln.results(savsjo)
    assert result.shown
    assert all(f.others is not None for f in result.factors if f.key in spindeln.GENERIC_KEYS)
    assert any(f.comments for f in result.factors)
