from django.apps import AppConfig


class SamverkConfig(AppConfig):
    name = "samverk"
    verbose_name = "Samverk"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
