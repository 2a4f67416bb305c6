"""``roleplay play [SCENARIO]``: the TUI, straight into a role-play (``roleplay`` alone: the home screen)."""

from __future__ import annotations

import argparse

from roleplay.cli.common import UserError, db_path, resolve_scenario, scenario_dirs, trainee_name

HELP = "open the app (with SCENARIO: straight into that role-play)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", metavar="SCENARIO", help="a scenario id or a path to a YAML file")
    add_app_options(parser)


def add_app_options(parser: argparse.ArgumentParser) -> None:
    """Options of the TUI (shared with ``roleplay`` alone)."""
    parser.add_argument("--trainee", default=argparse.SUPPRESS, metavar="NAME",
                        help="who is practising (default: ROLEPLAY_TRAINEE or your login name)")
    parser.add_argument("--ui-lang", choices=("zh", "en"), default=argparse.SUPPRESS,
                        help="interface language (default: follows the scenario)")
    parser.add_argument("--no-plan", action="store_true", default=argparse.SUPPRESS,
                        help="skip the pre-visit plan")


def app_config(args: argparse.Namespace, scenario: str | None = None):
    """The app's start-up settings from the command line."""
    from roleplay.tui.app import AppConfig

    return AppConfig(
        scenario_dirs=tuple(scenario_dirs(args)), db=db_path(args), save=not getattr(args, "no_save", False),
        trainee=getattr(args, "trainee", None), ui_lang=getattr(args, "ui_lang", None) or None,
        scenario=scenario, lang=getattr(args, "lang", None), seed=getattr(args, "seed", None),
        plan=not getattr(args, "no_plan", False),
    )


def open_home(args: argparse.Namespace) -> int:
    """``roleplay`` with no command: the home screen."""
    return _run_app(args, None)


def run(args: argparse.Namespace) -> int:
    return _run_app(args, args.scenario)


def _run_app(args: argparse.Namespace, scenario: str | None) -> int:
    from roleplay.practice import Practice
    from roleplay.tui.app import build_app

    config = app_config(args, scenario)
    trainee_name(config.trainee)  # a bad name is a one-line error before the screen is taken over
    practice = Practice.open(scenario_dirs=config.scenario_dirs, db=config.db, save=config.save,
                             trainee=config.trainee, cache=True)
    if scenario is not None:
        # A wrong id or a broken file is a one-line error here, before the screen is taken over.
        try:
            resolve_scenario(args, scenario, practice.library)
        except UserError:
            practice.close()
            raise
    app = build_app(config, practice)
    app.run()
    return app.return_code or 0
