"""The drill board: ranking, the team's pass rate per check, and every answer side by side.

The board reads the practice record every ``POLL_SECONDS`` in a worker thread (its own
read-only connection, opened and closed each time: SQLite's WAL lets it read while trainees
write), so it updates live while trainees finish and the UI never waits on the disk. The figures
come from ``roleplay.drill.board``, the same as ``roleplay drill report``.

Side by side: pick the scenario with ``s`` and the turn with ``[`` and ``]``; each trainee's
answer is shown with its checks, the best and worst answers of the turn marked for discussion.
"""

from __future__ import annotations

from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from roleplay.tui.localized import relabel_bindings
from roleplay.tui.widgets.keybar import KeyBar
from roleplay.tui.screens.drill_common import drill_words, shown

POLL_SECONDS = 2.0
"""How often the board reads the practice record."""

class AnswerCard(Static):
    """One trainee's answer at the chosen turn, with its checks."""


class BoardScreen(Screen[None]):
    """The live board of one drill."""

    CSS_PATH = "board.tcss"
    BINDINGS = [
        Binding("r", "refresh_board", "board.refresh"),
        Binding("left_square_bracket", "turn(-1)", "board.prev_turn", key_display="["),
        Binding("right_square_bracket", "turn(1)", "board.next_turn", key_display="]"),
        Binding("s", "next_scenario", "board.next_scenario"),
        Binding("escape", "leave", "common.leave"),
    ]

    class Loaded(Message):
        """A fresh board was read."""

        def __init__(self, board) -> None:  # board: roleplay.drill.Board
            super().__init__()
            self.board = board

    class Failed(Message):
        """The board could not be read (the message is one line)."""

        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self, db: str | None, code: str, *, exit_on_leave: bool = False,
                 poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__()
        self.db = db
        self.code = code
        self.exit_on_leave = exit_on_leave
        """Leaving ends the app (opened by ``roleplay drill board``)."""
        self.poll_seconds = poll_seconds
        self.board = None
        """The last board read (``roleplay.drill.Board``)."""
        self.step = 0
        """The scenario shown side by side (0-based)."""
        self.turn = 0
        """The turn shown side by side (0-based)."""
        self.loads = 0
        """How many times the board has been read (tests wait on it)."""
        self._shown_key: tuple | None = None

    # -- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="heading")
        with TabbedContent(id="tabs"):
            with TabPane("", id="tab-ranking"):
                yield DataTable(id="ranking", cursor_type="row", zebra_stripes=True)
            with TabPane("", id="tab-checks"):
                yield DataTable(id="rates", cursor_type="row", zebra_stripes=True)
            with TabPane("", id="tab-answers"):
                with Horizontal(id="nav"):
                    yield Static(id="turn-label")
                yield Static(id="customer")
                yield VerticalScroll(id="answers")
        yield KeyBar()

    def on_mount(self) -> None:
        self.relabel()
        self.load()
        self.set_interval(self.poll_seconds, self.load)

    def relabel(self) -> None:
        t = drill_words(self.app)
        relabel_bindings(self, t)
        tabs = self.query_one(TabbedContent)
        for pane_id, key in (("tab-ranking", "board.ranking"), ("tab-checks", "board.checks"),
                             ("tab-answers", "board.answers")):
            tabs.get_tab(pane_id).label = t(key)
        self._shown_key = None
        if self.board is not None:
            self._show(self.board)
        else:
            self.query_one("#heading", Static).update(escape(t("board.waiting")))

    # -- reading, off the UI thread ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="board")
    def load(self) -> None:
        """Read the board with a read-only connection of this thread's own."""
        from roleplay.drill import DrillError, load_board
        from roleplay.store import Store, StoreError

        try:
            with Store.open(self.db, readonly=True) as store:
                board = load_board(store, self.code)
        except (DrillError, StoreError) as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Loaded(board))

    def on_board_screen_loaded(self, message: Loaded) -> None:
        self.loads += 1
        self.board = message.board
        self._show(message.board)

    def on_board_screen_failed(self, message: Failed) -> None:
        self.loads += 1
        self.query_one("#heading", Static).update(f"[$error]{escape(message.message)}[/]")

    # -- showing ----------------------------------------------------------------------------------

    def _show(self, board) -> None:  # board: roleplay.drill.Board
        t = drill_words(self.app)
        spec = board.spec
        self.sub_title = t("board.title", title=spec.title)
        progress = t("board.progress", done=board.done, count=len(board.standings)) if board.standings \
            else t("board.waiting")
        now = datetime.now().strftime("%H:%M:%S")
        closed = getattr(board, "closed_at", None)
        closed_line = f"\n[$warning]{escape(t('board.closed', time=closed.replace('T', ' ')))}[/]" if closed else ""
        self.query_one("#heading", Static).update(
            f"[b]{escape(spec.title)}[/b]  [dim]{escape(t('common.code', code=board.drill.code))}[/dim]\n"
            f"{escape(progress)}  [dim]{escape(t('board.updated', time=now))}[/dim]{closed_line}")
        self._show_ranking(board, t)
        self._show_rates(board, t)
        self._show_answers()

    def _show_ranking(self, board, t) -> None:  # noqa: ANN001
        table = self.query_one("#ranking", DataTable)
        row = table.cursor_row
        c = "board.columns."
        table.clear(columns=True)
        table.add_columns(t(c + "rank"), t(c + "trainee"), t(c + "score"), t(c + "passed"), t(c + "played"),
                          t(c + "hints"), t(c + "status"), *(str(i + 1) for i in range(len(board.spec.steps))))
        for s in board.standings:
            cells = ["-" if e is None else str(e.score) if e.played else t("common.status.playing")
                     for e in s.entries]
            table.add_row(str(s.rank), shown(s.trainee), str(s.score), f"{s.passed}/{s.steps}",
                          f"{s.played}/{s.steps}", str(s.hints_used), t(f"common.status.{s.status}"), *cells)
        if board.standings:
            table.move_cursor(row=min(row, len(board.standings) - 1))

    def _show_rates(self, board, t) -> None:  # noqa: ANN001
        from scoring.catalogue import load_catalogue

        catalogue = load_catalogue()
        ui = self.app.ui_lang
        table = self.query_one("#rates", DataTable)
        row = table.cursor_row
        c = "board.columns."
        table.clear(columns=True)
        table.add_columns(t(c + "check"), t(c + "describes"), t(c + "passed"), t(c + "rate"))
        for r in board.rates:
            spec = catalogue.checks.get(r.check_id)
            describes = (spec.describes.get(ui) or spec.describes.get("en") or "") if spec else ""
            bar = "▰" * round(r.rate * 10) + "▱" * (10 - round(r.rate * 10))
            table.add_row(r.check_id, describes, f"{r.passed}/{r.total}", f"{bar} {r.percent}%")
        if board.rates:
            table.move_cursor(row=min(row, len(board.rates) - 1))

    def _show_answers(self) -> None:
        board = self.board
        if board is None:
            return
        t = drill_words(self.app)
        steps = board.spec.steps
        self.step = min(self.step, len(steps) - 1)
        turns = board.turns[self.step]
        self.turn = max(0, min(self.turn, len(turns) - 1))
        title = steps[self.step].title.get(self.app.ui_lang) or steps[self.step].title.get(board.spec.lang) \
            or steps[self.step].scenario_id
        heading = t("common.scenario_n", n=self.step + 1, total=len(steps), title=shown(title))
        key = (self.step, self.turn, self.app.ui_lang,
               tuple(turns[self.turn].answers) if turns else ())
        if key == self._shown_key:
            return  # nothing changed: keep the trainer's scroll position
        self._shown_key = key
        container = self.query_one("#answers", VerticalScroll)
        container.remove_children()
        if not turns:
            self.query_one("#turn-label", Static).update(f"[b]{escape(heading)}[/b]")
            self.query_one("#customer", Static).update(f"[dim]{escape(t('board.no_turns'))}[/dim]")
            return
        view = turns[self.turn]
        self.query_one("#turn-label", Static).update(
            f"[b]{escape(heading)}[/b]  {escape(t('board.turn', n=self.turn + 1, total=len(turns)))}")
        if view.same_line and view.answers:
            self.query_one("#customer", Static).update(
                f"[b]{escape(t('board.customer'))}[/b]: {escape(shown(view.answers[0].customer))}")
        else:
            self.query_one("#customer", Static).update(f"[dim]{escape(t('board.different_lines'))}[/dim]")
        cards = []
        for a in view.answers:
            tag = ""
            if a.best:
                tag = f" [b $success]{escape(t('board.best'))}[/]"
            elif a.worst:
                tag = f" [b $error]{escape(t('board.worst'))}[/]"
            lines = [f"[b]{escape(shown(a.trainee))}[/b]{tag}  [dim]{a.passed}/{len(a.checks)}[/dim]"]
            if not view.same_line:
                lines.append(f"[dim]{escape(t('board.customer'))}: {escape(shown(a.customer))}[/dim]")
            lines.append(escape(shown(a.text)))
            if a.intent is None:
                lines.append(f"[dim]({escape(t('board.nothing_matched'))})[/dim]")
            marks = [f"[$success]✓[/] {escape(c.id)}" if c.passed else f"[$error]✗[/] {escape(c.id)}"
                     for c in a.checks]
            if marks:
                lines.append("  ".join(marks))
            classes = "best" if a.best else "worst" if a.worst else ""
            cards.append(AnswerCard("\n".join(lines), classes=classes))
        container.mount_all(cards)

    # -- actions ----------------------------------------------------------------------------------

    def action_refresh_board(self) -> None:
        self.load()

    def action_turn(self, delta: int) -> None:
        self.turn += delta
        self.query_one(TabbedContent).active = "tab-answers"
        self._show_answers()

    def action_next_scenario(self) -> None:
        if self.board is None:
            return
        self.step = (self.step + 1) % len(self.board.spec.steps)
        self.turn = 0
        self.query_one(TabbedContent).active = "tab-answers"
        self._show_answers()

    def action_leave(self) -> None:
        if self.exit_on_leave:
            self.app.exit()
        else:
            self.app.pop_screen()
