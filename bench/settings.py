"""The production settings plus the bench: its command, templates and reference pages.

``manage.py bench`` runs with these (manage.py picks them for that subcommand), and so
does the gunicorn that ``bench --http`` starts; nothing else does.
"""

from samverk.settings import *  # noqa: F403
from samverk.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
