"""A task for testing the worker end to end."""

from django.tasks import task


@task
def add(a: int, b: int) -> int:
    return a + b
