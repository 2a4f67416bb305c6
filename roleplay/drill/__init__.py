"""Team drills: a trainer creates a drill, trainees answer the same customers, everyone sees the board.

Headless (no Textual): the drill file model and loader (``model``, ``loader``), drill codes
(``codes``), creating, finding and joining a drill (``hub``), one trainee's way through it
(``attempt``), the board's figures (``board``), the reports (``report``) and every drill summed up
(``listing``). The TUI screens and ``roleplay drill`` are built on these; so are the tests and the
load benchmark.
"""

from roleplay.drill.attempt import Attempt, HintsNotAllowed, StepResult, Watcher, play_lines
from roleplay.drill.board import Board, build_board, load_board
from roleplay.drill.hub import OpenDrill, create_drill, join, open_drill, stored_drill
from roleplay.drill.listing import DrillSummary, list_drills
from roleplay.drill.loader import load_drill
from roleplay.drill.model import DrillClosed, DrillError, DrillSpec, DrillStep, NameTaken, StoredDrill

__all__ = [
    "Attempt", "Board", "DrillClosed", "DrillError", "DrillSpec", "DrillStep", "DrillSummary", "HintsNotAllowed",
    "NameTaken", "OpenDrill", "StepResult", "StoredDrill", "Watcher", "build_board", "create_drill", "join",
    "list_drills", "load_board", "load_drill", "open_drill", "play_lines", "stored_drill",
]
