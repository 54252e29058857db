#!/usr/bin/env python3
"""Build every brief: `python build.py` (see `python build.py --help`)."""

import sys
from pathlib import Path

# Run from a checkout without installing: make the src/ layout importable.
sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from policybrief.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
