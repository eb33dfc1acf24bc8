"""Work out the Adult reference figures with pyCANON, for the checked-in test table.

Run: .venv/bin/python benchmarks/adult_reference.py [--write]

pyCANON (Apache-2.0) is not a project dependency: install it next to the project with
``.venv/bin/pip install --no-deps pycanon`` (its exact typing-extensions pin conflicts
with pydantic's). The figures land in tests/desensitisation/data/adult_reference.json,
which tests/desensitisation/test_adult_reference.py compares the stage against.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ADULT = REPO.parent / "shared" / "data" / "adult" / "adult.csv"
OUT = REPO / "tests" / "desensitisation" / "data" / "adult_reference.json"

# Quasi-identifier sets and sensitive attributes (categorical and numeric) chosen so that
# k, l and t are all non-trivial on Adult.
CASES = [
    (["sex", "race"], "salary-class"),
    (["sex", "race", "relationship"], "occupation"),
    (["workclass", "sex", "race"], "hours-per-week"),
    (["marital-status", "sex"], "education-num"),
    (["education", "sex", "race"], "capital-gain"),
    (["relationship", "race"], "marital-status"),
    (["sex", "race"], "occupation"),
    (["race"], "hours-per-week"),
]


def main() -> int:
    try:
        import pandas as pd
        from pycanon import anonymity
    except ImportError:
        print("pyCANON is not installed: .venv/bin/pip install --no-deps pycanon")
        return 2
    adult = ADULT if ADULT.exists() else Path("/work/shared/data/adult/adult.csv")
    data = pd.read_csv(adult, skipinitialspace=True)
    rows = []
    for quasi, sensitive in CASES:
        rows.append(
            {
                "quasi": quasi,
                "sensitive": sensitive,
                "numeric": bool(pd.api.types.is_numeric_dtype(data[sensitive])),
                "k": int(anonymity.k_anonymity(data, quasi)),
                "l": int(anonymity.l_diversity(data, quasi, [sensitive])),
                "entropy_l": int(anonymity.entropy_l_diversity(data, quasi, [sensitive])),
                "t": float(anonymity.t_closeness(data, quasi, [sensitive])),
            }
        )
        print(rows[-1])
    if "--write" in sys.argv:
        document = {
            "source": "UCI Adult, ../shared/data/adult/adult.csv (32,561 records)",
            "tool": "pyCANON 1.3.5: k_anonymity, l_diversity, entropy_l_diversity, t_closeness",
            "cases": rows,
        }
        OUT.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
