"""``roleplay serve``: the app in a web browser, with textual-serve.

Every browser that opens the page gets its own copy of the app (a process on this host, started
by textual-serve), so trainees on the same network need no terminal. ``--drill CODE`` opens each
page on that drill's join screen (names are asked in the app); ``--board CODE`` on its live board.

It listens on 127.0.0.1 (this computer only) unless ``--host`` is given. textual-serve has no
login of its own: with ``--host`` anyone who can reach the address can open the app, so a
warning says so. textual-serve is an optional extra: ``pip install 'roleplay[serve]'``.
"""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import sys

from roleplay.cli.common import UserError, db_path, scenario_dirs

HELP = "the app in a web browser (textual-serve); listens on 127.0.0.1 unless --host is given"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

NO_LOGIN_WARNING = ("roleplay: warning: textual-serve has no login of its own: anyone who can reach "
                    "{url} can open the app, play as anyone and read the practice record; "
                    "serve only on a network you trust")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default=None,
                        help=f"the address to listen on (default {DEFAULT_HOST}: this computer only); "
                             "e.g. 0.0.0.0 for the local network")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"the port (default {DEFAULT_PORT})")
    parser.add_argument("--public-url", metavar="URL", default=None,
                        help="the address browsers use to reach this host (default: guessed from --host)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--drill", metavar="CODE", default=None, help="open each page on this drill's join screen")
    target.add_argument("--board", metavar="CODE", default=None, help="open each page on this drill's board")
    parser.add_argument("--ui-lang", choices=("zh", "en"), default=None, help="interface language")


def app_command(args: argparse.Namespace) -> list[str]:
    """The command textual-serve runs for each browser: this roleplay, with the same record and folders."""
    argv = [sys.executable, "-c", "import sys; from roleplay.cli import main; sys.exit(main())"]
    db = db_path(args)
    if db:
        argv += ["--db", os.path.abspath(db)]
    for folder in scenario_dirs(args):
        argv += ["--scenarios", os.path.abspath(folder)]
    if args.drill:
        argv += ["drill", "join", args.drill]
    elif args.board:
        argv += ["drill", "board", args.board]
    if args.ui_lang:
        argv += ["--ui-lang", args.ui_lang]
    return argv


def guess_public_host(host: str) -> str:
    """The address a browser on the network would use to reach a server listening on ``host``."""
    if host not in ("0.0.0.0", "::", ""):
        return host
    # The address of the interface that routes outwards; no packet is sent by a UDP connect.
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("10.255.255.255", 1))
        return probe.getsockname()[0]
    except OSError:
        return socket.gethostname()
    finally:
        probe.close()


def _check_drill(args: argparse.Namespace, code: str) -> str:
    """The drill code, normalised, or a one-line error (before anything is served)."""
    from roleplay.drill import DrillError, stored_drill
    from roleplay.store import Store, StoreError

    try:
        with Store.open(db_path(args)) as store:
            return stored_drill(store, code).code
    except (DrillError, StoreError) as exc:
        raise UserError(str(exc)) from None


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UserError("roleplay serve needs textual-serve: pip install 'roleplay[serve]'") from None
    if not 1 <= args.port <= 65535:
        raise UserError(f"--port should be from 1 to 65535, not {args.port}")
    if args.drill:
        args.drill = _check_drill(args, args.drill)
    if args.board:
        args.board = _check_drill(args, args.board)
    host = args.host or DEFAULT_HOST
    public_url = args.public_url or f"http://{guess_public_host(host)}:{args.port}"
    # Fail early, with one line, when the port is taken (aiohttp would print a traceback).
    try:
        with socket.create_server((host, args.port), reuse_port=False):
            pass
    except OSError as exc:
        raise UserError(f"cannot listen on {host}:{args.port}: {exc.strerror or exc}") from None
    if args.host is not None:
        print(NO_LOGIN_WARNING.format(url=public_url), file=sys.stderr)
    what = (f"drill {args.drill}: trainees open the page and type their name" if args.drill
            else f"the board of drill {args.board}" if args.board else "the app")
    print(f"roleplay: serving {what} on {public_url} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    server = Server(shlex.join(app_command(args)), host=host, port=args.port, title="roleplay", public_url=public_url)
    try:
        server.serve()
    except OSError as exc:
        raise UserError(f"cannot serve on {host}:{args.port}: {exc.strerror or exc}") from None
    return 0
