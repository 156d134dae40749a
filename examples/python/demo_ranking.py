"""The ranking in ten lines. The Jiangsu 2021 preset has not landed yet, so this
runs the bundled demo framework; with the preset it becomes
parkscore.evaluate("jiangsu-2021", data)."""
from pathlib import Path

import parkscore

root = Path(__file__).resolve().parents[2]
result = parkscore.evaluate(root / "docs/examples/demo-framework.json", root / "examples/data/demo.csv")
table = result.table("level", names=True)
print(table.round(2).to_string())
print(result.warnings()[["unit", "message"]].to_string(index=False))
