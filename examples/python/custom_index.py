"""Building a custom index in code and scoring a DataFrame with it."""
import pandas as pd

import parkscore

data = pd.DataFrame({
    "id": ["Z1", "Z2", "Z3", "Z4", "Z5"],
    "name": ["北区", "南区", "东区", "西区", "高新区"],
    "region": ["south", "south", "north", "north", "north"],
    "output_per_mu": [310.0, 150.0, 420.0, 260.0, 505.0],   # 万元/亩
    "rd_share": [2.1, 1.2, 3.4, None, 5.0],                  # % of revenue; Z4 did not report
    "energy": [0.42, 0.61, 0.35, 0.50, 0.28],                # tce per 10k yuan, lower is better
})

fw = parkscore.Framework("index", "Zone quality index")
fw.pools = ["", "region"]                                    # all zones, and within each region
fw.add_category("index", "growth", name="Growth", weight=2)
fw.add_indicator("growth", "output_per_mu", unit="万元/亩", normalisation="efficacy", d0=60, c=40)
fw.add_indicator("growth", "rd_share", unit="%", normalisation="goalposts", gp_min=0, gp_max=6, clamp=True)
fw.add_category("index", "green", name="Green", weight=1)
fw.add_indicator("green", "energy", direction="lower")

result = parkscore.evaluate(fw, data)
print(parkscore.node_table(fw)[["parent", "weight", "absolute_weight"]])
print(result.table("all").round(2))
print(result.ranks("region", level=0))
print(result.contributions("Z3").round(2))
