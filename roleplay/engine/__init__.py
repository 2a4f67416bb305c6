"""The conversation engine: scenarios run as ``transitions`` state machines (no Textual, no Rich).

``ScenarioRuntime(scenario)`` is built once per scenario; ``runtime.start(lang, seed=...)`` gives a
``Session`` whose ``answer(text)`` returns a ``Turn``. See docs/internals.md section 3.
"""

from roleplay.engine.runtime import ScenarioError, ScenarioRuntime, UnknownState
from roleplay.engine.session import Hint, Session, SessionFinished, SessionResult, Turn

__all__ = ["Hint", "ScenarioError", "ScenarioRuntime", "Session", "SessionFinished", "SessionResult", "Turn",
           "UnknownState"]
