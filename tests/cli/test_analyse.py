"""parkscore analyse: benefit of the doubt and Condorcet-Kemeny from the command line."""
import csv
import io
import json
import os
import subprocess
from pathlib import Path

ROOT = Path(os.environ.get("PARKSCORE_SOURCE_DIR", Path(__file__).resolve().parents[2]))
BIN = str(Path(os.environ.get("PARKSCORE_BIN", ROOT / "build" / "cli" / "parkscore")).resolve())
FRAMEWORK = ROOT / "docs" / "examples" / "demo-framework.json"
DEMO = ROOT / "examples" / "data" / "demo.csv"


def run(*args):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def test_missing_value_is_an_error_naming_unit_and_indicator():
    code, _, err = run("analyse", FRAMEWORK, DEMO, "--method", "kemeny", "--pool", "level")
    assert code == 1
    assert "pool level=" in err and "unit 'D04', indicator 'fdi'" in err


def test_kemeny_csv_ranks_each_pool():
    code, out, err = run("analyse", FRAMEWORK, DEMO, "--method", "kemeny", "--pool", "level", "--drop-incomplete",
                         "--format", "csv")
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert "D04" not in {r["unit"] for r in rows}
    for pool in {r["pool"] for r in rows}:
        ranks = sorted(int(r["kemeny_rank"]) for r in rows if r["pool"] == pool)
        assert ranks == list(range(1, len(ranks) + 1))
        assert {r["proven_optimal"] for r in rows if r["pool"] == pool} == {"yes"}   # exact below 20 units


def test_bod_table_and_spec_errors(tmp_path):
    code, out, err = run("analyse", FRAMEWORK, DEMO, "--method", "bod", "--pool", "all", "--drop-incomplete")
    assert code == 0, err
    assert "Benefit of the doubt (per_unit)" in out and "Left out for a missing value: D04" in out
    rows = list(csv.DictReader(io.StringIO(run("analyse", FRAMEWORK, DEMO, "--method", "bod", "--pool", "all",
                                               "--drop-incomplete", "-f", "csv")[1])))
    scores = [float(r["bod_score"]) for r in rows]
    assert max(scores) == 1.0 and min(scores) > 0.0
    assert all(r["peers"] for r in rows)
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"method": "bod", "restrictions": {"shares": {"gdpx": {"max": 0.5}}}}))
    code, _, err = run("analyse", FRAMEWORK, DEMO, "--spec", spec)
    assert code == 1
    assert "/restrictions/shares/gdpx: 'gdpx' is not an indicator below node 'index'" in err
