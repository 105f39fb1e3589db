from django.apps import AppConfig


class SamverkConfig(AppConfig):
    name = "samverk"
    verbose_name = "Samverk"
