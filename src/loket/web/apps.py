from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "loket.web"
    label = "web"
    verbose_name = "Web"
