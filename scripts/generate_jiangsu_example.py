#!/usr/bin/python3
"""Generates the synthetic Jiangsu example data (examples/data/jiangsu-<year>.csv).

Every zone, city and number in the output is invented. The script is
deterministic (numpy default_rng with a fixed seed) and writes numbers with a
fixed number of decimals, so re-running it reproduces the committed files byte
for byte (tests/python/test_example_data.py checks this).

    /usr/bin/python3 scripts/generate_jiangsu_example.py [--out examples/data]

Model, in one paragraph: each zone has a latent development level z (region
effect 苏南 > 苏中 > 苏北, national zones higher, normal noise) that drifts a
little each year. Sizes (GDP, trade, FDI) are log-normal in z, so they are
heavy-tailed; intensities, shares and counts depend on z plus their own noise,
partly persistent per zone, so indicators correlate and ranks persist from year
to year but a few zones move more than ten places. A few percent of indicator
cells are blank (missing). In the latest year one provincial zone has a major
safety accident (veto), and a few zones have deduction events.
"""

import argparse
import csv
import pathlib

import numpy as np

SEED = 20210226  # the date the 2021 method was issued
YEARS = (2021, 2022, 2023)  # data years
N_NATIONAL, N_PROVINCIAL = 27, 91
MISSING_SHARE = 0.025
REGIONS = ("苏南", "苏中", "苏北")
REGION_SHARE = (0.40, 0.25, 0.35)
REGION_EFFECT = {"苏南": 0.6, "苏中": 0.0, "苏北": -0.5}
CITIES = {"苏南": range(1, 6), "苏中": range(6, 9), "苏北": range(9, 14)}

# Output columns with their number format: "a" amount (2 decimals), "f" fraction
# (4 decimals), "i" whole count.
INDICATORS = [
    ("E1_level", "a"), ("E1_growth", "f"), ("E2", "f"), ("E3_level", "i"), ("E3_new", "i"),
    ("E4_level", "a"), ("E4_growth", "f"), ("E5_level", "a"), ("E5_growth", "f"),
    ("E6_level", "a"), ("E6_growth", "f"), ("E7", "f"), ("E8", "i"),
    ("O1_level", "a"), ("O1_growth", "f"), ("O2_level", "a"), ("O2_growth", "f"),
    ("O3_level", "a"), ("O3_share", "f"), ("O4_level", "a"), ("O4_share", "f"),
    ("O5", "i"), ("O6", "i"), ("O7", "i"),
    ("I1", "i"), ("I2", "f"), ("I3", "i"), ("I4", "f"), ("I5", "i"), ("I6", "i"), ("I7", "a"),
    ("G1", "f"), ("G2", "f"), ("G3", "a"), ("G4", "a"), ("G5", "a"), ("G6", "f"),
    ("C1", "a"), ("C2", "i"), ("C3", "i"), ("C4", "a"),
]
EVENTS = ["major_safety_accident", "major_env_incident", "central_env_problems", "provincial_env_problems",
          "central_exposed_cases", "provincial_exposed_cases", "larger_safety_accidents"]
HEADER = ["id", "name", "level", "region", "city"] + [c for c, _ in INDICATORS] + EVENTS


def zones(rng):
    """Fixed attributes of every zone: ids, names, level, region, city, base level, persistent noise."""
    n = N_NATIONAL + N_PROVINCIAL
    level = ["national"] * N_NATIONAL + ["provincial"] * N_PROVINCIAL
    region = list(rng.choice(REGIONS, size=n, p=REGION_SHARE))
    city = [f"示例市{int(rng.choice(list(CITIES[r]))):02d}" for r in region]
    z = np.array([REGION_EFFECT[r] + (0.6 if lv == "national" else 0.0) for r, lv in zip(region, level)])
    z = z + rng.normal(0.0, 0.8, n)
    ids = [f"N{i + 1:03d}" for i in range(N_NATIONAL)] + [f"P{i + 1:03d}" for i in range(N_PROVINCIAL)]
    names = [f"示例开发区{i + 1:03d} (synthetic)" for i in range(n)]
    persistent = rng.normal(0.0, 0.5, (n, len(INDICATORS)))  # each zone's own strengths and weaknesses
    return dict(n=n, ids=ids, names=names, level=level, region=region, city=city, z=z, persistent=persistent)


def growth(rng, z, n, mean=0.06, slope=0.03, sd=0.045):
    """Growth rates: centred near `mean`, better zones grow a little faster; a few outliers beyond the caps."""
    g = mean + slope * z + rng.normal(0.0, sd, n)
    outliers = rng.random(n) < 0.03
    return np.where(outliers, rng.choice([-0.35, 0.8, 1.2], size=n), g)


def simulate(rng, zs):
    """Yields (data year, dict of column -> array) for every year, with persistence between years."""
    n, z0 = zs["n"], zs["z"]
    drift = np.zeros(n)
    p = zs["persistent"]
    col = {c: j for j, (c, _) in enumerate(INDICATORS)}
    e = lambda c, sd=0.2: p[:, col[c]] * 0.6 + rng.normal(0.0, sd, n)  # noqa: E731  (zone trait + yearly noise)

    # Stocks carried from year to year.
    gdp = np.exp(5.0 + 0.9 * z0 + 0.5 * p[:, col["E1_level"]])  # 亿元, log-normal
    stocks = {  # industrial value added, tax revenue, industrial investment (亿元)
        "E4": gdp * np.clip(0.45 + 0.05 * p[:, col["E4_level"]], 0.2, 0.75),
        "E5": gdp * np.clip(0.10 + 0.02 * p[:, col["E5_level"]], 0.04, 0.2),
        "E6": gdp * np.clip(0.18 + 0.04 * p[:, col["E6_level"]], 0.05, 0.4),
    }
    fdi = np.exp(0.3 + 1.1 * z0 + 0.8 * p[:, col["O1_level"]])  # 亿美元, heavier tail
    trade = np.exp(3.0 + 1.2 * z0 + 0.7 * p[:, col["O2_level"]])  # 亿美元
    listed = rng.poisson(np.exp(0.8 + 0.9 * z0))

    for year in YEARS:
        drift = 0.6 * drift + rng.normal(0.0, 0.15, n)
        z = z0 + drift
        out = {}
        g = growth(rng, z, n)
        gdp = gdp * (1 + g)
        out["E1_level"], out["E1_growth"] = gdp, g
        out["E2"] = np.clip(0.08 + 0.06 * z + 0.04 * e("E2"), 0.01, 0.6)
        new = rng.poisson(np.exp(-0.8 + 0.8 * z))
        listed = listed + new
        out["E3_level"], out["E3_new"] = listed, new
        for c in ("E4", "E5", "E6"):
            gr = growth(rng, z, n, sd=0.09 if c == "E6" else 0.06)
            stocks[c] = stocks[c] * (1 + gr)
            out[f"{c}_level"], out[f"{c}_growth"] = stocks[c], gr
        out["E7"] = np.clip(0.55 + 0.08 * z + 0.08 * e("E7"), 0.15, 0.95)
        out["E8"] = rng.poisson(np.exp(-1.2 + 1.0 * z))

        gf = growth(rng, z, n, mean=0.04, sd=0.15)
        fdi = fdi * (1 + gf)
        gt = growth(rng, z, n, mean=0.05, sd=0.08)
        trade = trade * (1 + gt)
        out["O1_level"], out["O1_growth"] = fdi, gf
        out["O2_level"], out["O2_growth"] = trade, gt
        share_ht = np.clip(0.30 + 0.08 * z + 0.08 * e("O3_share"), 0.02, 0.9)
        share_pr = np.clip(0.35 - 0.03 * z + 0.08 * e("O4_share"), 0.05, 0.9)
        out["O3_level"], out["O3_share"] = trade * share_ht, share_ht
        out["O4_level"], out["O4_share"] = trade * share_pr, share_pr
        out["O5"] = rng.poisson(np.exp(0.2 + 0.8 * z + 0.3 * e("O5")))
        out["O6"] = rng.poisson(np.exp(-0.3 + 0.9 * z + 0.3 * e("O6")))
        out["O7"] = rng.poisson(np.exp(-0.8 + 0.6 * z + 0.3 * e("O7")))

        out["I1"] = rng.poisson(np.exp(4.0 + 0.9 * z + 0.4 * e("I1")))
        out["I2"] = np.clip(0.018 + 0.006 * z + 0.004 * e("I2"), 0.002, 0.06)
        out["I3"] = rng.poisson(np.exp(2.0 + 0.8 * z + 0.3 * e("I3")))
        out["I4"] = np.clip(0.45 + 0.08 * z + 0.08 * e("I4"), 0.05, 0.95)
        out["I5"] = rng.poisson(np.exp(1.8 + 0.7 * z + 0.3 * e("I5")))
        out["I6"] = rng.poisson(np.exp(3.0 + 0.8 * z + 0.3 * e("I6")))
        out["I7"] = np.exp(3.0 + 0.6 * z + 0.3 * e("I7"))

        out["G1"] = np.exp(np.log(0.35) - 0.25 * z + 0.2 * e("G1"))  # 吨标煤/万元, lower is better
        out["G2"] = np.exp(np.log(0.9) - 0.25 * z + 0.2 * e("G2"))   # 吨/万元, lower is better
        out["G3"] = np.exp(np.log(40) + 0.5 * z + 0.3 * e("G3"))     # 万元/亩
        out["G4"] = np.exp(np.log(8) + 0.6 * z + 0.3 * e("G4"))      # 亿元/km²
        out["G5"] = np.exp(np.log(12) - 0.2 * z + 0.2 * e("G5"))     # m³/万元, lower is better
        out["G6"] = np.clip(0.90 + 0.03 * z + 0.03 * e("G6"), 0.6, 1.0)

        out["C1"] = np.clip(85 + 4 * z + 4 * e("C1"), 40, 100)
        south = np.array([r == "苏南" for r in zs["region"]])
        out["C2"] = rng.poisson(np.where(south, 1.5, 0.4) * np.exp(0.3 * z))
        out["C3"] = np.round(np.exp(np.log(3000) + 0.7 * z + 0.3 * e("C3")))
        out["C4"] = np.clip(80 + 5 * z + 5 * e("C4"), 50, 100)

        events = {name: np.zeros(n, dtype=int) for name in EVENTS}
        events["central_env_problems"] = rng.poisson(0.04, n)
        events["provincial_env_problems"] = rng.poisson(0.08, n)
        events["central_exposed_cases"] = rng.poisson(0.01, n)
        events["provincial_exposed_cases"] = rng.poisson(0.03, n)
        events["larger_safety_accidents"] = rng.poisson(0.03, n)
        if year == YEARS[-1]:
            # One vetoed zone: a provincial zone in the middle of the field.
            provincial = np.arange(N_NATIONAL, n)
            middle = provincial[np.argsort(z[provincial])][N_PROVINCIAL // 2]
            events["major_safety_accident"][middle] = 1
        missing = rng.random((n, len(INDICATORS))) < MISSING_SHARE
        yield year, out, events, missing


def cell(value, kind):
    if kind == "i":
        return str(int(value))
    return f"{value:.2f}" if kind == "a" else f"{value:.4f}"


def write(out_dir, year, zs, values, events, missing):
    path = out_dir / f"jiangsu-{year}.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for i in range(zs["n"]):
            row = [zs["ids"][i], zs["names"][i], zs["level"][i], zs["region"][i], zs["city"][i]]
            for j, (c, kind) in enumerate(INDICATORS):
                row.append("" if missing[i, j] else cell(values[c][i], kind))
            row += [str(int(events[name][i])) for name in EVENTS]
            w.writerow(row)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=pathlib.Path(__file__).resolve().parent.parent / "examples" / "data",
                        type=pathlib.Path, help="output directory (default: examples/data)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    zs = zones(rng)
    for year, values, events, missing in simulate(rng, zs):
        print(write(args.out, year, zs, values, events, missing))


if __name__ == "__main__":
    main()
