"""Where the repository's files are: the root holds templates/, static/ and docs/."""
from pathlib import Path

#: The repository root holds templates/, static/ and docs/ (the product brief's layout).
ROOT = Path(__file__).resolve().parents[2]
