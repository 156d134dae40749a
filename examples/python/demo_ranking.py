"""The Jiangsu ranking in ten lines: the jiangsu-2021 preset on the 2023 data
(synthetic zones), provincial pool, vetoed zones listed after the ranking."""
from pathlib import Path

import parkscore

data = Path(__file__).resolve().parents[1] / "data" / "jiangsu-2023.csv"
result = parkscore.evaluate("jiangsu-2021", data, groups=["level", "region", "city"])
table = result.table("level", names=True)
print(table[table["pool"] == "provincial"].drop(columns="pool").round(2).to_string())
print("vetoed:", "; ".join(f"{unit}: {reason}" for unit, reason in result.excluded.items()))
