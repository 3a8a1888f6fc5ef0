from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "loket.cli"
    label = "cli"
    verbose_name = "Command line"
