"""The bench's scenarios for the plan's live poll (issue 17): the 304 and the full answer
answer as the page relies on, in the queries the README states."""

from django.test import Client

from bench import dataset, scenarios


def test_the_live_poll_scenarios_answer_304_and_200_in_few_queries(db):
    data = dataset.build_dataset(contacts=20, cases=10, meetings=40)
    unchanged, changed = scenarios.plan_live_scenarios(data)
    client = Client()
    client.force_login(data.user)
    quiet = scenarios.measure(client, unchanged, repeat=3)
    full = scenarios.measure(client, changed, repeat=3)
    assert quiet.error is None and full.error is None, (quiet.error, full.error)
    assert quiet.query_count <= 4 and quiet.size_bytes == 0
    assert full.query_count <= 10
    body = client.get(changed.url).json()
    assert len(body["actions"]) == scenarios.LIVE_ACTIONS
    assert len(body["goals"]) == scenarios.LIVE_GOALS
