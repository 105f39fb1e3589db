"""The bench: ``manage.py bench`` times the heavy pages in process, ``bench --http`` loads
them over HTTP (gunicorn and wrk).

Not part of the app: installed and routed only by ``bench.settings``, which
``manage.py`` picks for the ``bench`` subcommand. Production code never imports it.

- :mod:`bench.dataset`: the data set, built in bulk.
- :mod:`bench.scenarios`: the pages measured in process, and the timer.
- :mod:`bench.load`: the HTTP load bench (``--http``), with its plans in bulk.
- :mod:`bench.plans`: the plan's autosave latency and page query count.
- :mod:`bench.views`, :mod:`bench.urls`: the load bench's reference pages.
"""
