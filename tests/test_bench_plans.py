from django.test import Client

from bench import plans


def test_bench_measures_autosave_and_page_queries(db):
    user, meeting = plans.build_plan(actions=30, versions=5)
    client = Client()
    client.force_login(user)
    result = plans.autosave_latency(client, meeting, repeat=5)
    assert result["requests"] == 5 and result["median_ms"] > 0
    assert plans.plan_page_queries(client, meeting) < 20
