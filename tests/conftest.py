import os
import sys
from pathlib import Path

# Tests patch loopcheck in-process; a result cached by an earlier test must never answer for it.
# The cache's own tests turn it back on.
os.environ.setdefault("LOOPCHECK_NO_CACHE", "1")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
