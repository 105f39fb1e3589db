"""``manage.py bench``: time the heavy pages against a throwaway database.

By default 5,000 contact persons, 10,000 ärenden and 50,000 meetings; the ärende
and meeting pages are marked in the table when they miss their targets (at most
20 queries and 150 ms median).

The developer's database is never touched: the command creates a test database
(in memory on SQLite, ``test_<name>_bench`` on PostgreSQL), fills it in bulk,
measures, and destroys it again. The cache is swapped for a private in-memory
one so clearing it for the cold PDF measurement cannot empty a shared cache.

``--http`` instead serves the app with gunicorn and loads it with wrk
(``bench/load.py``): a file database, 20,000 plans more, and a baseline page.

The command exists only with bench.settings (the bench app installed), which manage.py
picks for ``manage.py bench``.
"""

import json
import logging
import platform
import sys
import time
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.template import Template
from django.test import Client
from django.test.utils import (
    override_settings,
    setup_test_environment,
    teardown_test_environment,
)
from django.utils import timezone

from bench import dataset, load, scenarios

BENCH_CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "samverk-bench",
    }
}


def positive_int(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def non_negative_int(value):
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Mäter svarstider och databasfrågor för de tunga sidorna mot en tillfällig databas."

    def add_arguments(self, parser):
        parser.add_argument(
            "--contacts", type=positive_int, default=5000,
            help="Antal kontaktpersoner att skapa (standard 5000).",
        )
        parser.add_argument(
            "--cases", type=non_negative_int, default=10000,
            help="Antal ärenden att skapa (standard 10000; 0 = inga ärende- och mötessidor).",
        )
        parser.add_argument(
            "--meetings", type=non_negative_int, default=50000,
            help="Antal möten att skapa, minst 12 om fler än 0 (standard 50000).",
        )
        parser.add_argument(
            "--repeat", type=positive_int, default=20,
            help="Mätningar per sida (standard 20; kall PDF högst 5).",
        )
        parser.add_argument("--json", dest="json_path", help="Skriv resultatet som JSON hit.")
        parser.add_argument(
            "--only", action="append", default=[],
            help="Mät bara sidor vars namn innehåller texten (kan anges flera gånger).",
        )
        http = parser.add_argument_group("--http: gunicorn och wrk")
        http.add_argument(
            "--http", action="store_true",
            help="Lasttest över HTTP: gunicorn på 127.0.0.1 och wrk mot varje sida.",
        )
        http.add_argument(
            "--seconds", type=positive_int, default=10, help="Sekunder last per sida (standard 10)."
        )
        http.add_argument(
            "--plans", type=non_negative_int, default=load.PLANS,
            help=f"Antal handlingsplaner (standard {load.PLANS}).",
        )
        http.add_argument(
            "--concurrency", type=positive_int, default=10,
            help="Samtidiga användare (wrk-anslutningar; standard 10).",
        )
        http.add_argument(
            "--workers", type=positive_int, default=2, help="gunicorn-arbetare (standard 2)."
        )
        http.add_argument(
            "--database-url",
            help="PostgreSQL-server att mäta på (databasen samverk_loadbench skapas och tas "
            "bort); standard: DATABASE_URL om den är PostgreSQL, annars en SQLite-fil.",
        )
        http.add_argument(
            "--keep-database", action="store_true",
            help="Låt databasen finnas kvar efteråt och skriv hur den serveras (för profilering).",
        )

    def handle(
        self, *args, contacts, cases, meetings, repeat, json_path, only, verbosity, **options
    ):
        if options["http"]:
            return self.handle_http(contacts, cases, meetings, json_path, only, **options)
        started = time.perf_counter()
        db = settings.DATABASES["default"]
        old_name = db["NAME"]
        old_test_name = db.setdefault("TEST", {}).get("NAME")
        if connection.vendor != "sqlite" and not old_test_name:
            # Never clobber the test database pytest may be keeping with --reuse-db.
            db["TEST"]["NAME"] = f"test_{old_name}_bench"

        self.template_render = Template._render  # before the test environment instruments it
        setup_test_environment()
        try:
            self.stderr.write(f"Skapar tillfällig databas ({connection.vendor}) …")
            connection.creation.create_test_db(
                verbosity=0, autoclobber=True, serialize=False, keepdb=False
            )
            try:
                with override_settings(CACHES=BENCH_CACHES, SECURE_SSL_REDIRECT=False):
                    report = self.run_bench(contacts, cases, meetings, repeat, only, verbosity)
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        finally:
            teardown_test_environment()
            if old_test_name is None:
                db["TEST"].pop("NAME", None)
            else:
                db["TEST"]["NAME"] = old_test_name

        report["total_seconds"] = round(time.perf_counter() - started, 1)
        self.stdout.write(scenarios.format_table(report.pop("_results")))
        self.stdout.write(f"Total tid: {report['total_seconds']} s")
        if json_path:
            Path(json_path).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
            self.stderr.write(f"Resultat skrivet till {json_path}")

    def handle_http(self, contacts, cases, meetings, json_path, only, **options):
        try:
            report, results = load.run(
                log=self.stderr.write,
                contacts=contacts,
                cases=cases,
                meetings=meetings,
                plans=options["plans"],
                seconds=options["seconds"],
                connections_=options["concurrency"],
                threads=min(2, options["concurrency"]),
                workers=options["workers"],
                database_url=options["database_url"],
                only=only,
                keep_database=options["keep_database"],
            )
        except load.LoadBenchError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"\n{report['contacts']} kontaktpersoner, {report['cases']} ärenden, "
            f"{report['meetings']} möten, {report['plans']} handlingsplaner; "
            f"databas {report['database']}, {report['machine']['cpus']} kärnor.\n"
            f"{report['server']}; last: {report['load']} per sida.\n"
        )
        self.stdout.write(load.format_table(results))
        self.stdout.write(f"Total tid: {report['total_seconds']} s")
        if json_path:
            Path(json_path).write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
            self.stderr.write(f"Resultat skrivet till {json_path}")

    def run_bench(self, contacts, cases, meetings, repeat, only, verbosity):
        meetings = meetings if cases else 0
        self.stderr.write(
            f"Skapar {contacts} kontaktpersoner, {cases} ärenden och {meetings} möten …"
        )
        built = time.perf_counter()
        with override_settings(DEBUG=False):  # no SQL logging of 300,000 inserted rows
            data = dataset.build_dataset(contacts, cases=cases, meetings=meetings)
        build_seconds = time.perf_counter() - built

        client = Client()
        client.force_login(data.user)
        chosen = scenarios.default_scenarios(data)
        if only:
            wanted = [text.lower() for text in only]
            chosen = [s for s in chosen if any(w in s.name.lower() for w in wanted)]
            if not chosen:
                raise CommandError("Inga sidor matchar --only.")

        results = []
        request_logger = logging.getLogger("django.request")
        old_level = request_logger.level
        if verbosity < 2:
            # A failing page is reported in the table; its traceback only with -v 2.
            request_logger.setLevel(logging.CRITICAL)
        # setup_test_environment makes every template render (every form widget, every
        # option of a <select>) send a signal and copy its context for the test client.
        # Production does neither: measure without it.
        instrumented_render = Template._render
        Template._render = self.template_render
        try:
            for scenario in chosen:
                self.stderr.write(f"  {scenario.name} …")
                results.append(scenarios.measure(client, scenario, repeat))
        finally:
            Template._render = instrumented_render
            request_logger.setLevel(old_level)

        active = data.measured_area.contact_persons.filter(is_active=True).count()
        lines = [
            f"{contacts} kontaktpersoner, varav {data.measured_contacts} i "
            f"{data.measured_area} ({active} aktiva)."
        ]
        if data.cases:
            lines.append(
                f"{data.cases} ärenden, {data.consents} samtycken, {data.meetings} möten med "
                f"{data.participants} deltagare; {data.staff} handläggare. Den mätta "
                f"handläggaren äger {data.owned_cases} ärenden; mätt ärende har "
                f"{data.measured_case.meetings.count()} möten och "
                f"{data.measured_case.consents.count()} samtycken."
            )
        lines.append(
            f"Data byggd på {build_seconds:.1f} s. {repeat} mätningar per sida. "
            f"Databas: {connection.vendor}.\n"
        )
        self.stdout.write("\n" + "\n".join(lines))
        return {
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "python": platform.python_version(),
            "django": django.get_version(),
            "platform": sys.platform,
            "contacts": contacts,
            "measured_area": data.measured_area.slug,
            "measured_contacts": data.measured_contacts,
            "measured_active_contacts": active,
            "cases": data.cases,
            "consents": data.consents,
            "meetings": data.meetings,
            "participants": data.participants,
            "caseworkers": data.staff,
            "measured_owned_cases": data.owned_cases,
            "measured_case": data.measured_case.pk if data.measured_case else None,
            "measured_meeting": data.measured_meeting.pk if data.measured_meeting else None,
            "measured_week": str(data.measured_week) if data.measured_week else None,
            "repeat": repeat,
            "build_seconds": round(build_seconds, 2),
            "results": [result.as_dict() for result in results],
            "_results": results,
        }
