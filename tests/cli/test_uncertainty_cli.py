"""parkscore uncertainty: CSV and table output, the same numbers for 1 and 2 threads, errors."""
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
SPEC = {"inputs": [{"type": "weights", "node": "*", "spread": 0.25},
                   {"type": "normalisation", "options": [{"method": "efficacy"}, {"method": "min_max"}]}]}


def run(*args):
    p = subprocess.run([BIN, *map(str, args)], capture_output=True)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def test_csv_same_for_thread_counts(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    code, out1, err = run("uncertainty", FRAMEWORK, DEMO, "--spec", spec, "--reps", 3000, "--pool", "all",
                          "--output", "csv", "--top", 2, "--interval", "10,90")
    assert code == 0, err
    assert "3000/3000 replicates" in err   # the progress bar on stderr
    rows = list(csv.DictReader(io.StringIO(out1)))
    assert [r["unit"] for r in rows] == ["D01", "D02", "D03", "D04", "D05", "D06"]
    assert "rank_q10" in rows[0] and "rank_q90" in rows[0] and "p_top2" in rows[0]
    # Two places in the top 2 in every replicate, three when two units tie for 2nd: the demo ranks
    # scores rounded to 2 decimals, so a few of the 3000 replicates may tie. The excess times 3000
    # is that count of replicates, an integer.
    extra = (sum(float(r["p_top2"]) for r in rows) - 2.0) * 3000
    assert extra > -1e-9 and abs(extra - round(extra)) < 1e-9 and extra < 30
    code, out2, _ = run("uncertainty", FRAMEWORK, DEMO, "--spec", spec, "--reps", 3000, "--pool", "all",
                        "--output", "csv", "--top", 2, "--interval", "10,90", "--threads", 2, "-q")
    assert code == 0 and out2 == out1


def test_table_and_sobol(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))
    code, out, err = run("uncertainty", FRAMEWORK, DEMO, "--spec", spec, "--reps", 500, "-q", "--sobol", 200)
    assert code == 0, err
    assert "interval 5-95%" in out
    assert "Sobol indices of the mean absolute rank shift" in out
    assert "weights:*" in out and "normalisation" in out


def test_bad_spec(tmp_path):
    spec = tmp_path / "spec.json"
    spec.write_text('{"inputs": [{"type": "weights", "node": "NOPE"}]}')
    code, _, err = run("uncertainty", FRAMEWORK, DEMO, "--spec", spec, "-q")
    assert code == 1
    assert "spec.json: /inputs/0/node: no node 'NOPE'" in err
    spec.write_text(json.dumps(SPEC))
    code, _, err = run("uncertainty", FRAMEWORK, DEMO, "--spec", spec, "--interval", "95,5")
    assert code == 1 and "--interval '95,5'" in err
