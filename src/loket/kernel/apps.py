from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "loket.kernel"
    label = "kernel"
    verbose_name = "Kernel"
