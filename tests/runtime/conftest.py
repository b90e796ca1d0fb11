import sys
from pathlib import Path

# tests/ is not a package: make the shared helpers importable (runtime_helpers here,
# markers one level up).
HERE = Path(__file__).resolve().parent
for path in (HERE, HERE.parent):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
