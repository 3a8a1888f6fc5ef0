"""`loket demo`: migrate, seed the demo cast, then serve, run the worker and simulate citizens
until Ctrl-C.

`loket demo seed` only seeds. `loket demo simulate` only posts citizen messages to a Loket that
already runs (see `loket.cli.simulate`). All need demo mode (LOKET_DEMO=1), which `make demo`
sets.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from loket.cli import demo_cast, simulate

# How long the background simulator waits for the web server to come up.
SERVER_START_WAIT = 60


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 0 < number <= 6000:
        raise argparse.ArgumentTypeError("give a number above 0 and at most 6000")
    return number


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("give a whole number of at least 1")
    return number


class Command(BaseCommand):
    help = (
        "Run Loket with the demo cast: seed, serve, work and simulate citizens. "
        "`loket demo seed` only seeds; `loket demo simulate` posts citizen messages to a "
        "running Loket."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", nargs="?", choices=["run", "seed", "simulate"], default="run")
        parser.add_argument(
            "--no-simulate",
            action="store_true",
            help="run: do not start the citizen simulator next to the server",
        )
        group = parser.add_argument_group("simulate")
        group.add_argument(
            "--rate",
            type=_positive_float,
            default=simulate.DEFAULT_RATE,
            help=f"events per minute (default {simulate.DEFAULT_RATE:g})",
        )
        group.add_argument(
            "--count", type=_positive_int, default=None, help="stop after this many events"
        )
        group.add_argument("--org", default=None, help="only this organisation's channels (slug)")
        group.add_argument(
            "--url",
            default=None,
            help="base URL of the running Loket (default http://LOKET_HOST:LOKET_PORT)",
        )
        group.add_argument("--seed", type=int, default=None, help="replay the same sequence")
        group.add_argument(
            "--wait",
            type=float,
            default=0.0,
            help="seconds to wait for the server to answer before giving up (default 0)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("The demo needs demo mode: set LOKET_DEMO=1 (make demo does).")
        if options["action"] == "simulate":
            self._simulate(options)
            return
        call_command("migrate", interactive=False, verbosity=0)
        demo_cast.seed()
        self.stdout.write(self.style.SUCCESS("Demo cast seeded."))
        if options["action"] == "seed":
            return
        simulating = not options["no_simulate"]
        self._banner(simulating)
        children = [subprocess.Popen([sys.executable, "-m", "loket.cli.main", "worker"])]
        if simulating:
            children.append(
                subprocess.Popen(  # noqa: S603 - our own command, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "loket.cli.main",
                        "demo",
                        "simulate",
                        "--rate",
                        f"{simulate.BACKGROUND_RATE:g}",
                        "--wait",
                        str(SERVER_START_WAIT),
                    ]
                )
            )
        try:
            call_command("serve")
        finally:
            for child in reversed(children):
                child.terminate()
            for child in reversed(children):
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()

    def _simulate(self, options: dict[str, Any]) -> None:
        url = options["url"] or simulate.default_url()
        try:
            simulate.channels_of(options["org"])
            simulate.wait_until_reachable(url, wait=options["wait"])
            targets = simulate.load_targets(options["org"])
            simulator = simulate.Simulator(
                targets, base_url=url, rate=options["rate"], seed=options["seed"], out=self._say
            )
        except simulate.SimulationError as error:
            raise CommandError(str(error), returncode=2) from None
        channels = len(targets)
        self._say(
            f"Simulating citizens: {options['rate']:g} events a minute to {channels} demo "
            f"channels at {url}" + (" (Ctrl-C stops)" if options["count"] is None else "")
        )
        try:
            simulator.run(options["count"])
        except KeyboardInterrupt:
            self._say("Stopped. " + simulator.outcome.summary())
            return
        except simulate.SimulationError as error:
            self._say(simulator.outcome.summary())
            raise CommandError(str(error), returncode=2) from None
        self._say(simulator.outcome.summary())
        if simulator.outcome.sent and not simulator.outcome.accepted:
            raise CommandError("the server accepted none of the events", returncode=1)

    def _say(self, line: str) -> None:
        self.stdout.write(line)
        self.stdout.flush()

    def _banner(self, simulating: bool) -> None:
        url = f"http://{settings.LOKET_HOST}:{settings.LOKET_PORT}/"
        stops = (
            "the web server, the worker and the simulator"
            if simulating
            else ("the web server and the worker")
        )
        lines = [
            "",
            f"Loket runs at {url}  (Ctrl-C stops {stops})",
            f"Demo logins, password '{demo_cast.DEMO_PASSWORD}':",
            *(f"  {username:<6} {what}" for username, what in demo_cast.demo_logins()),
        ]
        if simulating:
            lines.append(
                f"Simulated citizens write about {simulate.BACKGROUND_RATE:g} messages a minute "
                "to the demo channels (--no-simulate turns this off)."
            )
        self.stdout.write("\n".join([*lines, ""]))
