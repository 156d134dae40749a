"""The committed synthetic example data are exactly what the generator makes."""

import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
YEARS = (2021, 2022, 2023)


def test_generator_reproduces_committed_files(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_jiangsu_example.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for year in YEARS:
        name = f"jiangsu-{year}.csv"
        assert (tmp_path / name).read_bytes() == (ROOT / "examples" / "data" / name).read_bytes(), name


def test_committed_files_have_the_promised_shape():
    import csv

    for year in YEARS:
        with open(ROOT / "examples" / "data" / f"jiangsu-{year}.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        levels = [r["level"] for r in rows]
        assert levels.count("national") == 27 and levels.count("provincial") == 91
        assert all("(synthetic)" in r["name"] for r in rows)
        vetoed = [r["level"] for r in rows if r["major_safety_accident"] != "0" or r["major_env_incident"] != "0"]
        assert vetoed == (["provincial"] if year == YEARS[-1] else [])
