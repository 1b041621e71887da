"""Run every benchmark in bench/ (``make bench``). Each prints its figures next to a naive baseline
measured in the same run. Timings live here, never in tests."""

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> int:
    selected = set(sys.argv[1:])
    modules = sorted(path.stem for path in (ROOT / "bench").glob("bench_*.py"))
    for name in modules:
        if selected and name not in selected:
            continue
        print(f"\n=== {name} ===")
        importlib.import_module(f"bench.{name}").main()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
