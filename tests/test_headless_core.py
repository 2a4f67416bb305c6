"""The headless core never imports Textual or Rich (harlequin's rule): everything the TUI does,
a test can do without it."""

import subprocess
import sys

HEADLESS_MODULES = [
    "roleplay.scenario",
    "roleplay.scenario.model",
    "roleplay.scenario.vocabulary",
    "scoring",
    "scoring.catalogue",
    "roleplay.practice",
    "roleplay.i18n",
    "roleplay.diary",
    "roleplay.cli",
]


def test_headless_modules_import_no_textual_or_rich():
    code = (
        "import importlib, pkgutil, sys\n"
        "import roleplay.scenario, scoring\n"
        "for pkg in ('roleplay.scenario', 'roleplay.engine', 'roleplay.store', 'scoring'):\n"
        "    try:\n"
        "        mod = importlib.import_module(pkg)\n"
        "    except ModuleNotFoundError:\n"
        "        continue\n"
        "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
        "        importlib.import_module(info.name)\n"
        f"for name in {HEADLESS_MODULES!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"headless core imported: {out.stdout.strip()}"
