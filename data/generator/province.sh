#!/usr/bin/env bash
# Writes the province-scale benchmark set as the GeoPackages a GIS user would upload, the same bytes of data from
# the same seed on every machine (see province.sql): enterprises.gpkg, enterprises-extra.gpkg (more enterprises, for
# an append), water_source_zones.gpkg, red_lines.gpkg, rivers.gpkg and admin_boundaries.geojson (the 34 county
# outlines of data/reference), all in EPSG:4490.
#
# Usage: data/generator/province.sh OUT_DIR ENTERPRISES ZONES RED_LINES RIVERS EXTRA SEED
# Connection: the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) name a PostGIS database where
# the schema "gen" may be created; it is dropped again at the end. Needs psql and ogr2ogr.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$1 enterprises=$2 zones=$3 red_lines=$4 rivers=$5 extra=$6 seed=$7

pg="PG:dbname='$PGDATABASE' host='$PGHOST' port='$PGPORT' user='$PGUSER'"
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
trap 'sql -c "DROP SCHEMA IF EXISTS gen CASCADE" >/dev/null 2>&1 || true' EXIT

sql -c "DROP SCHEMA IF EXISTS gen CASCADE" -c "CREATE SCHEMA gen"
ogr2ogr -f PostgreSQL "$pg" "$repo/data/reference/counties_luliang_jinzhong_taiyuan.geojson" -nln gen.counties \
  -lco GEOMETRY_NAME=geom -a_srs EPSG:4490 -nlt MULTIPOLYGON
# the GB/T 4754-2017 classes and the Shanxi river names, numbered in code and name order
sed -nE 's/^  - \{code: "([0-9]{4})", zh: "([^"]*)".*/\1,\2/p' "$repo/data/industries/gbt4754-2017.yaml" \
  | sort >"$out/.industry.csv"
awk '/^rivers:/{on=1; next} on && /^  [^ #][^:]*:/{sub(/^  /, ""); sub(/:.*/, ""); print}' \
  "$repo/data/reference/shanxi-rivers.yaml" | sort >"$out/.rivers.csv"
sql -c "CREATE TABLE gen.industry_raw (code text, name text)" -c "CREATE TABLE gen.river_raw (name text)" \
  -c "\\copy gen.industry_raw FROM '$out/.industry.csv' WITH (FORMAT csv)" \
  -c "\\copy gen.river_raw FROM '$out/.rivers.csv' WITH (FORMAT csv)" \
  -c "CREATE TABLE gen.industry AS SELECT row_number() OVER (ORDER BY code)::int AS n, code, name FROM gen.industry_raw" \
  -c "CREATE UNIQUE INDEX ON gen.industry (n)" -c "CREATE UNIQUE INDEX ON gen.industry (code)" \
  -c "CREATE TABLE gen.river_names AS SELECT row_number() OVER (ORDER BY name)::int AS n, name FROM gen.river_raw"
rm -f "$out/.industry.csv" "$out/.rivers.csv"

sql -v seed="$seed" -v enterprises="$enterprises" -v zones="$zones" -v red_lines="$red_lines" -v rivers="$rivers" \
  -v extra="$extra" -f "$here/province.sql"
got=$(sql -Atc "SELECT count(*) FROM gen.enterprises")
[ "$got" -eq "$enterprises" ] || { echo "generated $got enterprises, not $enterprises" >&2; exit 1; }

export_layer() { # file, layer name in the file, SELECT
  rm -f "$out/$1.tmp"
  ogr2ogr -f GPKG "$out/$1.tmp" "$pg" -sql "$3" -nln "$2" -a_srs EPSG:4490
  mv "$out/$1.tmp" "$out/$1"
}
ent='geom, "企业名称", "统一社会信用代码", "行业代码", "行业名称", "乡镇", "园区", "重点排污单位", "排污许可证编号",
     "管理类别", "生产状态", "详细地址"'
export_layer enterprises.gpkg 企业 "SELECT $ent FROM gen.enterprises ORDER BY i"
export_layer enterprises-extra.gpkg 企业 "SELECT $ent FROM gen.enterprises_extra ORDER BY i"
export_layer water_source_zones.gpkg 饮用水水源保护区 \
  'SELECT geom, "水源名称", "保护级别", "水源类型", "含水层类型" FROM gen.zones ORDER BY i'
export_layer red_lines.gpkg 生态保护红线 'SELECT geom, "红线名称", "红线类型" FROM gen.red_lines ORDER BY i'
export_layer rivers.gpkg 河流 'SELECT geom, "河流名称", "河流级别", "流域" FROM gen.rivers ORDER BY i'
cp "$repo/data/reference/counties_luliang_jinzhong_taiyuan.geojson" "$out/admin_boundaries.geojson"
