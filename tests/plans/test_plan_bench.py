from django.test import Client

from plans import bench


def test_bench_measures_autosave_and_page_queries(db):
    user, meeting = bench.build_plan(actions=30, versions=5)
    client = Client()
    client.force_login(user)
    result = bench.autosave_latency(client, meeting, repeat=5)
    assert result["requests"] == 5 and result["median_ms"] > 0
    assert bench.plan_page_queries(client, meeting) < 20
