"""Rebuild gongyou/regions/data/regions.csv from its sources (a developer tool, run by hand).

Inputs: the NBS 2023 statistical division codes (modood/Administrative-divisions-of-China,
WTFPL: provinces.csv, cities.csv, areas.csv) and, for coordinates only, cpca 0.5.5's
resources/adcodes.csv (MIT). Usage:

    python scripts/build_region_data.py ../shared/data/regions /path/to/cpca/adcodes.csv
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

MUNICIPALITIES = {"11": "北京市", "12": "天津市", "31": "上海市", "50": "重庆市"}


def main(src: Path, adcodes: Path, out: Path) -> None:
    coords: dict[str, tuple[str, str]] = {}
    with adcodes.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["longitude"] and row["latitude"]:
                coords[row["adcode"][:6]] = (row["longitude"], row["latitude"])
    rows: list[list[str]] = []

    def add(code: str, name: str, level: str, parent: str) -> None:
        lng, lat = coords.get(code, ("", ""))
        if not lng and level == "city" and code[:2] + "0000" in coords:
            lng, lat = coords[code[:2] + "0000"]
        rows.append([code, name, level, parent, lng, lat])

    with (src / "provinces.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add(row["code"] + "0000", row["name"], "province", "")
    with (src / "cities.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["name"]
            if name in {"市辖区", "县"} and row["provinceCode"] in MUNICIPALITIES:
                name = MUNICIPALITIES[row["provinceCode"]] + (
                    "" if row["name"] == "市辖区" else "（县）"
                )
            add(row["code"] + "00", name, "city", row["provinceCode"] + "0000")
    with (src / "areas.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            # Cities without counties (东莞, 中山, 儋州) list themselves as their only area.
            if row["code"] == row["cityCode"] + "00":
                continue
            add(row["code"], row["name"], "county", row["cityCode"] + "00")
    # Counties without coordinates take their city's.
    by_code = {r[0]: r for r in rows}
    for r in rows:
        if not r[4] and r[3] in by_code:
            r[4], r[5] = by_code[r[3]][4], by_code[r[3]][5]
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "level", "parent", "longitude", "latitude"])
        w.writerows(rows)
    print(f"{len(rows)} regions, {sum(1 for r in rows if r[4])} with coordinates -> {out}")


if __name__ == "__main__":
    main(
        Path(sys.argv[1]),
        Path(sys.argv[2]),
        Path(__file__).resolve().parent.parent / "gongyou/regions/data/regions.csv",
    )
