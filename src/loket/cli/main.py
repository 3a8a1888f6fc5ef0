"""Entry point of the `loket` console script.

`loket COMMAND` runs the Django management command of that name with Loket's settings, so
`loket migrate`, `loket check --deploy` and Loket's own `loket demo`, `loket serve` and
`loket worker` share one set of options and one configuration. A configuration error is
printed as one line naming the variable, with exit status 2.
"""

from __future__ import annotations

import os
import sys

from django.core.exceptions import ImproperlyConfigured

LOKET_COMMANDS = {
    "demo": "seed, serve, work and simulate citizens (LOKET_DEMO=1); `demo seed`, `demo simulate`",
    "serve": "serve the web application on LOKET_HOST:LOKET_PORT",
    "worker": "run the background task worker",
    "migrate": "bring the database schema up to date",
    "check": "check the installation; `check --deploy` for production settings",
    "eval": "measure a triage detector on a labelled JSONL file (`loket eval --help`)",
}


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "eval":
        # Plain Python: no settings, no database, so it runs on any installation.
        from loket.triage.evaluation import main as evaluate

        return evaluate(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    if not args or (args[0] in {"-h", "--help", "help"} and len(args) == 1):
        _print_usage()
        return 0
    try:
        import django
        from django.core.management import execute_from_command_line

        django.setup()
        execute_from_command_line(["loket", *args])
    except ImproperlyConfigured as error:
        print(f"loket: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


def _print_usage() -> None:
    print("usage: loket COMMAND [options]\n\nLoket's commands:")
    for name, summary in LOKET_COMMANDS.items():
        print(f"  {name:<9} {summary}")
    print("\nEvery Django management command works too: `loket help --commands` lists them.")


if __name__ == "__main__":
    sys.exit(main())
