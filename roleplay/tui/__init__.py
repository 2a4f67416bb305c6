"""The Textual interface: a thin shell over ``roleplay.practice`` (engine, scorer, store)."""

import gc as _gc

# Importing Textual and the screens makes some 100,000 objects that live as long as the process,
# and the cycle collector walks the young ones again and again while they are being made (about
# 20 ms on the way to the first paint, with nothing to collect). Its first generation is made
# large while the interface is imported; ``roleplay.tui.app`` puts the thresholds back at the end
# of its import and moves what was made out of the collector's way (``gc.freeze``).
_GC_THRESHOLDS = _gc.get_threshold()
_gc.set_threshold(max(_GC_THRESHOLDS[0], 200_000), *_GC_THRESHOLDS[1:])
