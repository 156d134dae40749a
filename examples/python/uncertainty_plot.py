"""A rank-uncertainty chart from a hand-made interval table (the uncertainty
engine will produce such a table: median rank and a 5-95 % interval per unit).
Writes the chart to the path given as the first argument (default: rank_uncertainty.png)."""
import sys

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

import parkscore.plot  # noqa: E402

intervals = pd.DataFrame(
    {"median": [1, 2, 4, 3, 6, 5], "lo": [1, 1, 2, 2, 5, 3], "hi": [2, 4, 6, 5, 6, 6]},
    index=["D01", "D06", "D03", "D04", "D05", "D02"],
)
fig = parkscore.plot.rank_uncertainty(intervals, title="Demo zones: rank with 90 % interval")
out = sys.argv[1] if len(sys.argv) > 1 else "rank_uncertainty.png"
fig.savefig(out, dpi=100, bbox_inches="tight")
print(f"wrote {out}")
