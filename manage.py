#!/usr/bin/env python
import os
import sys


def main():
    # The bench (bench/) is no part of the app: only `manage.py bench` (and `help bench`) runs
    # with bench.settings, the app's settings plus the bench, unless other settings are named.
    settings = "samverk.settings"
    command = sys.argv[2:3] if sys.argv[1:2] == ["help"] else sys.argv[1:2]
    if command == ["bench"] and os.environ.get("DJANGO_SETTINGS_MODULE") in (None, settings):
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
