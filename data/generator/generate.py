#!/usr/bin/python3
"""Generate the PolluMap demo data set for 孝义市 (Xiaoyi, adcode 141181).

Run from the repository root:

    /usr/bin/python3 data/generator/generate.py

Reads  data/generator/region.yaml and data/reference/*.geojson
Writes data/demo/<layer>.zip (one GBK shapefile set each), data/demo/manifest.json, data/demo/overview.png

Only the standard library, PyYAML and GDAL/OGR (Debian python3-yaml, python3-gdal) are used.  The output is
byte-identical from run to run: fixed seeds (random.Random seeded with strings), fixed DBF header date, zip
entries with fixed timestamps, attributes and order, no dependence on dict order or the clock.

Geometry is built in CGCS2000 / 3-degree Gauss-Kruger CM 111E (EPSG:4546, metres); admin_boundaries is
written in CGCS2000 lon/lat (EPSG:4490).  All distance checks are planar metres in EPSG:4546 (the scale
error there is below 1e-4, far inside the safety margins).

The generator applies the map rules (evaluate() below) to every enterprise and fails unless the only breaches
are the planted ones; the rule ids each planted firm triggers are computed, never hand-written. evaluate() is the
generator's screening for placing firms: it knows the rules of data/rules/catalogue.yaml that the demo layers can
trigger, with the category codes below, and says for each hit whether the rule binds existing enterprises
(EXISTING: a breach in the violation list) or new projects only (NEW_PROJECTS: listed apart, as 存量冲突). The
server's categories (data/industries/categories.yaml) are wider, so its lists may name more firms.
"""

import io
import json
import math
import os
import random
import sys
import tempfile
import time
import zipfile

import yaml
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
REGION_YAML = os.path.join(HERE, "region.yaml")
OUT_DIR = os.path.join(ROOT, "data", "demo")
GENERATOR_REL = "data/generator/generate.py"

LOAD_ORDER = ["admin_boundaries", "rivers", "water_source_zones", "red_lines", "industrial_parks",
              "built_up_areas", "air_stations", "enterprises"]

# ----------------------------------------------------------------------------------------------------------
# Rule categories (GB/T 4754-2017 codes) for the codes the demo uses, as the first rules catalogue defined them; the
# placement of the firms rests on them (see the docstring).  3217 (盛锦镁业) and 5941 (the 中国石化 depot) follow it.
CHEM = {"2511", "2522", "2523", "2614", "2619", "2621"}                       # 化工
COKING = {"2521"}                                                               # 焦化
HIGH_POLLUTION = {"2521", "2522", "2523", "2614", "2619", "2621", "3011", "3110", "3120", "3140", "3216",
                  "3217", "4411", "4412"}                                       # 高污染
NONFERROUS = {"3216", "3217"}                                                   # 有色金属冶炼
HAZCHEM = {"2522", "2523", "2614", "2619", "2621", "5941", "5942"}              # 危险化学品
NON_EMITTING = {"5990", "5941", "5942", "4610", "7211"}                         # 排放污染物 = all but these
WASTEWATER = {"0313", "0321", "0610", "0810", "0916", "1351", "2521", "2522", "2523", "2614", "2619", "2621",
              "3110", "3120", "3216", "3360", "4411", "4412", "4620"}          # 排放废水
SEVERE_WATER = {"0313", "1351", "2521", "2522", "2523", "2614", "2619", "2621", "3360"}  # 严重污染水体

PROHIBITED, RESTRICTED = "PROHIBITED", "RESTRICTED"
# Whom each rule evaluate() knows binds, as data/rules/catalogue.yaml says.
BINDING = {"EEC-318": "NEW_PROJECTS", "EEC-319": "EXISTING", "EEC-320": "EXISTING", "EEC-321": "NEW_PROJECTS",
           "EPRL-01": "NEW_PROJECTS", "YRPL-26": "NEW_PROJECTS", "LL-287": "NEW_PROJECTS", "LL-171": "NEW_PROJECTS",
           "XY-1787-MAIN": "NEW_PROJECTS", "XY-1787-TRIB": "NEW_PROJECTS", "XY-1790": "NEW_PROJECTS",
           "XY-1867": "NEW_PROJECTS", "XY-1775-EXISTING": "EXISTING", "XY24-94": "NEW_PROJECTS"}

# Safety margins every NON-planted enterprise keeps (metres).
MARGIN_ZONE = 200          # from every water-source zone and red-line polygon
MARGIN_RIVER = 150         # from every river
MARGIN_CHEM_PARK = 150     # 化工: inside a park by at least this
MARGIN_CHEM_RIVER = 1300   # 化工: from every river
MARGIN_HIGH_FEN = 1300     # 高污染: from the 干流
MARGIN_HIGH_BUILT = 200    # 高污染: outside the built-up area by at least this
MARGIN_WX = 1300           # 3216 / 危险化学品 / 化工: from 文峪河 and 孝河
MARGIN_COUNTY = 300        # every enterprise: inside 孝义市 by at least this
MIN_SPACING = 150          # between enterprises
PARK_CLEAR = 50            # firms not allocated to a park stay this far outside every park

CREDIT_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]

STATUSES = ["在产", "停产", "关闭", "搬迁"]
MGMT = ["重点管理", "简化管理", "登记管理"]
KEY_ORDER = ["水", "大气", "土壤", "噪声"]

# name patterns per sector kind: {w} trade word, {v} village (without 村), {t} town
NAME_PATTERNS = {
    "coal_mine": ["山西孝义{w}煤业有限公司", "孝义市{w}煤矿有限公司", "山西{w}煤业有限公司"],
    "coal_wash": ["孝义市{w}洗煤有限公司", "孝义市{v}{w}洗煤厂", "孝义市{w}煤炭洗选有限公司"],
    "coking": ["山西{w}焦化有限公司", "孝义市{w}煤焦有限公司", "山西孝义{w}焦化有限公司"],
    "chem_gas": ["孝义市{w}合成气有限公司", "山西{w}煤气化清洁能源有限公司"],
    "chem_liquid": ["山西{w}煤制油科技有限公司", "孝义市{w}清洁燃料有限公司"],
    "chem_org": ["孝义市{w}化工有限公司", "山西{w}煤焦油加工有限公司", "山西{w}精细化工有限公司"],
    "chem_basic": ["孝义市{w}化学有限公司", "山西{w}氢能科技有限公司", "孝义市{w}化工有限公司"],
    "chem_fert": ["孝义市{w}化肥有限公司", "山西{w}氮肥有限公司"],
    "alumina": ["孝义市{w}铝业有限公司", "山西{w}氧化铝有限公司"],
    "power": ["孝义市{w}发电有限公司", "山西{w}煤矸石发电有限公司"],
    "chp": ["孝义市{w}热电有限公司"],
    "heat": ["孝义市{w}供热有限公司"],
    "cement": ["孝义市{w}水泥有限公司", "山西{w}水泥有限公司"],
    "iron": ["孝义市{w}冶炼有限公司", "孝义市{w}生铁有限公司"],
    "steel": ["山西{w}钢铁有限公司"],
    "ferro": ["孝义市{w}铁合金有限公司", "孝义市{w}硅铁厂"],
    "foundry": ["孝义市{w}铸造有限公司", "孝义市{w}铸业有限公司", "孝义市{v}{w}铸造厂"],
    "iron_ore": ["孝义市{w}铁矿有限公司", "孝义市{v}{w}铁矿"],
    "bauxite": ["孝义市{w}铝土矿有限公司"],
    "brick": ["孝义市{v}{w}砖厂", "孝义市{w}新型建材有限公司", "孝义市{w}页岩砖有限公司"],
    "lime": ["孝义市{v}{w}石灰厂", "孝义市{w}钙业有限公司"],
    "refractory": ["孝义市{w}耐火材料有限公司", "孝义市{w}耐材有限公司", "山西{w}耐火材料有限公司"],
    "pig": ["孝义市{v}{w}生猪养殖场", "孝义市{w}养殖有限公司", "孝义市{w}牧业有限公司"],
    "chicken": ["孝义市{v}{w}蛋鸡养殖场", "孝义市{w}禽业有限公司"],
    "slaughter": ["孝义市{w}肉类加工有限公司", "孝义市{w}生猪屠宰有限公司"],
    "logistics": ["孝义市{w}物流有限公司", "山西{w}物流有限公司", "孝义市{w}储运有限公司"],
    "town_wwtp": ["孝义市{t}污水处理厂"],
    "solid_waste": ["孝义市{w}固废综合利用有限公司", "孝义市{w}环保科技有限公司", "孝义市{v}{w}煤矸石处置场"],
    "haz_waste": ["孝义市{w}危险废物处置有限公司", "山西{w}环境科技有限公司"],
    "metal_treat": ["孝义市{w}金属表面处理有限公司", "孝义市{w}热处理有限公司"],
    "hazchem_store": ["孝义市{w}化学品仓储有限公司", "山西{w}危险品仓储有限公司"],
}
WORD_A = "鑫宏恒泰晟隆盛源华兴昌达丰瑞祥旺通远安康新金永聚德嘉润博凯晋汇辉峰元腾富利正和诚信益茂荣顺天同亿福广伟建东鼎佳宝海宇中"
WORD_B = "源鑫达泰盛丰昌隆兴发旺通利峰远祥瑞宇晟业德华辉恒安顺成元润和凯海"

# 重点类别 probabilities per kind: (水, 大气, 土壤, 噪声)
KEY_PROB = {
    "coking": (1, 1, .8, .1), "chem_gas": (1, 1, .9, 0), "chem_liquid": (1, 1, .9, 0), "chem_org": (1, 1, .9, 0),
    "chem_basic": (1, 1, .9, 0), "chem_fert": (1, 1, .9, 0), "alumina": (.5, 1, .9, 0), "power": (.6, 1, .2, .2),
    "chp": (.6, 1, .2, .2), "heat": (0, .8, 0, 0), "cement": (0, 1, .1, .3), "iron": (.3, 1, .6, .1),
    "steel": (.3, 1, .6, .2), "ferro": (.1, 1, .5, 0), "foundry": (0, .15, .05, .05), "coal_mine": (.5, .1, .1, 0),
    "coal_wash": (.15, .1, 0, 0), "brick": (0, .1, 0, 0), "lime": (0, .1, 0, 0), "refractory": (0, .12, 0, 0),
    "pig": (.15, 0, 0, 0), "chicken": (.05, 0, 0, 0), "slaughter": (.4, 0, 0, 0), "logistics": (0, 0, 0, .03),
    "town_wwtp": (1, 0, 0, 0), "solid_waste": (0, .2, .5, 0), "haz_waste": (.3, .6, 1, 0),
    "metal_treat": (.5, 0, .5, 0), "hazchem_store": (0, 0, .4, 0), "iron_ore": (.2, 0, 0, 0),
    "bauxite": (.2, 0, 0, 0),
}
# 管理类别 probabilities per kind: (重点管理, 简化管理, 登记管理)
MGMT_PROB = {
    "coking": (1, 0, 0), "chem_gas": (1, 0, 0), "chem_liquid": (1, 0, 0), "chem_org": (1, 0, 0),
    "chem_basic": (1, 0, 0), "chem_fert": (1, 0, 0), "alumina": (1, 0, 0), "power": (1, 0, 0), "chp": (1, 0, 0),
    "heat": (.6, .4, 0), "cement": (1, 0, 0), "iron": (1, 0, 0), "steel": (1, 0, 0), "ferro": (.6, .4, 0),
    "foundry": (.1, .6, .3), "coal_mine": (.3, .5, .2), "coal_wash": (.1, .6, .3), "brick": (.05, .75, .2),
    "lime": (.05, .7, .25), "refractory": (.1, .7, .2), "pig": (.25, .35, .4), "chicken": (.1, .3, .6),
    "slaughter": (.3, .5, .2), "logistics": (0, .1, .9), "town_wwtp": (1, 0, 0), "solid_waste": (.3, .6, .1),
    "haz_waste": (1, 0, 0), "metal_treat": (.5, .4, .1), "hazchem_store": (.2, .5, .3), "iron_ore": (.1, .6, .3),
    "bauxite": (.1, .6, .3),
}
# kinds allowed inside the built-up area (everything else is kept out of it)
URBAN_KINDS = {"logistics", "heat"}


class GenError(Exception):
    pass


def fail(msg):
    raise GenError(msg)


def rng_for(*parts):
    """A random.Random seeded from a string: stable across runs and Python processes."""
    return random.Random(":".join(str(p) for p in parts))


# ----------------------------------------------------------------------------------------------------------
# Coordinates and geometry helpers
SRS_LL = osr.SpatialReference()
SRS_LL.ImportFromEPSG(4490)
SRS_LL.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
SRS_M = osr.SpatialReference()
SRS_M.ImportFromEPSG(4546)
SRS_M.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
LL2M = osr.CoordinateTransformation(SRS_LL, SRS_M)
M2LL = osr.CoordinateTransformation(SRS_M, SRS_LL)


def ll2m(lon, lat):
    x, y, _ = LL2M.TransformPoint(float(lon), float(lat))
    return x, y


def m2ll(x, y):
    lon, lat, _ = M2LL.TransformPoint(float(x), float(y))
    return lon, lat


def r2(v):
    return round(v, 2)


def point(x, y):
    g = ogr.Geometry(ogr.wkbPoint)
    g.AddPoint_2D(x, y)
    return g


def ring_of(coords):
    r = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in coords:
        r.AddPoint_2D(x, y)
    if coords[0] != coords[-1]:
        r.AddPoint_2D(coords[0][0], coords[0][1])
    return r


def polygon(outer, holes=()):
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring_of(outer))
    for h in holes:
        g.AddGeometry(ring_of(h))
    return g


def linestring(coords):
    g = ogr.Geometry(ogr.wkbLineString)
    for x, y in coords:
        g.AddPoint_2D(x, y)
    return g


def ring_coords(g, i=0):
    r = g.GetGeometryRef(i)
    return [(r.GetX(k), r.GetY(k)) for k in range(r.GetPointCount())]


def line_coords(g):
    return [(g.GetX(k), g.GetY(k)) for k in range(g.GetPointCount())]


def round_ring(coords):
    out = []
    for x, y in coords:
        p = (r2(x), r2(y))
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def largest_polygon(g, what):
    """Reduce a (Multi)Polygon / collection to its largest polygon; fail if that drops more than 2 %."""
    t = ogr.GT_Flatten(g.GetGeometryType())
    if t == ogr.wkbPolygon:
        return g.Clone()
    parts = []
    for i in range(g.GetGeometryCount()):
        p = g.GetGeometryRef(i)
        if ogr.GT_Flatten(p.GetGeometryType()) == ogr.wkbPolygon:
            parts.append(p.Clone())
        elif ogr.GT_Flatten(p.GetGeometryType()) == ogr.wkbMultiPolygon:
            parts.append(largest_polygon(p, what))
    if not parts:
        fail(f"{what}: no polygon left")
    parts.sort(key=lambda p: -p.GetArea())
    total = sum(p.GetArea() for p in parts)
    if parts[0].GetArea() < 0.98 * total:
        fail(f"{what}: clipping split it into pieces ({[round(p.GetArea()) for p in parts]})")
    return parts[0]


def rounded_polygon(g, what):
    """Round every vertex to 1 cm and check validity."""
    g = largest_polygon(g, what)
    rings = [round_ring(ring_coords(g, i)) for i in range(g.GetGeometryCount())]
    out = polygon(rings[0], rings[1:])
    if not out.IsValid():
        fail(f"{what}: invalid polygon after rounding")
    return out


def blob(cx, cy, a, b, rot_deg, rng, n=40, rough=0.18):
    """An irregular, star-shaped ellipse-like polygon (always simple)."""
    harm = []
    budget = rough
    for k in (2, 3, 4, 5, 7):
        amp = rng.uniform(0.3, 1.0) * budget * 0.55
        budget -= amp
        harm.append((k, amp, rng.uniform(0, 2 * math.pi)))
    rot = math.radians(rot_deg)
    pts = []
    for i in range(n):
        t = 2 * math.pi * i / n
        f = 1 + sum(amp * math.cos(k * t + ph) for k, amp, ph in harm)
        ex, ey = a * math.cos(t) * f, b * math.sin(t) * f
        pts.append((cx + ex * math.cos(rot) - ey * math.sin(rot), cy + ex * math.sin(rot) + ey * math.cos(rot)))
    return round_ring(pts)


def catmull_rom(pts, step):
    """Dense points on a uniform Catmull-Rom spline through pts (passes through every point)."""
    P = [pts[0]] + list(pts) + [pts[-1]]
    out = [pts[0]]
    for i in range(1, len(P) - 2):
        p0, p1, p2, p3 = P[i - 1], P[i], P[i + 1], P[i + 2]
        seg = math.hypot(p2[0] - p1[0], p2[1] - p1[1])
        n = max(2, int(math.ceil(seg / step)))
        for j in range(1, n + 1):
            t = j / n
            t2, t3 = t * t, t * t * t
            out.append(tuple(0.5 * ((2 * p1[c]) + (-p0[c] + p2[c]) * t + (2 * p0[c] - 5 * p1[c] + 4 * p2[c] - p3[c]) * t2
                                    + (-p0[c] + 3 * p1[c] - 3 * p2[c] + p3[c]) * t3) for c in (0, 1)))
    out[-1] = pts[-1]
    return out


def meander(pts, amp, wl_range, rng, taper=700.0):
    """Offset a dense polyline sideways by a sum of sines; zero offset at both ends."""
    s = [0.0]
    for i in range(1, len(pts)):
        s.append(s[-1] + math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]))
    L = s[-1]
    taper = min(taper, L / 4)
    waves = []
    for w in (1.0, 0.5, 0.3):
        waves.append((amp * w, rng.uniform(wl_range[0], wl_range[1]) * (1.0 if w == 1.0 else 0.55),
                      rng.uniform(0, 2 * math.pi)))
    out = []
    for i, (x, y) in enumerate(pts):
        if i == 0 or i == len(pts) - 1:
            out.append((x, y))
            continue
        dx = pts[i + 1][0] - pts[i - 1][0]
        dy = pts[i + 1][1] - pts[i - 1][1]
        d = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / d, dx / d
        e = min(s[i], L - s[i]) / taper
        env = 1.0 if e >= 1 else e * e * (3 - 2 * e)
        off = env * sum(a * math.sin(2 * math.pi * s[i] / wl + ph) for a, wl, ph in waves)
        out.append((x + nx * off, y + ny * off))
    return out


# ----------------------------------------------------------------------------------------------------------
# Credit codes (GB 32100-2015, organisation code GB 11714)
def org_check(body8):
    def val(ch):
        return int(ch) if ch.isdigit() else ord(ch) - 55
    s = sum(val(ch) * w for ch, w in zip(body8, ORG_WEIGHTS))
    c = 11 - s % 11
    return {10: "X", 11: "0"}.get(c, str(c))


def credit_check(first17):
    s = sum(CREDIT_CHARSET.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARSET[(31 - s % 31) % 31]


def credit_code_valid(code):
    if len(code) != 18 or any(ch not in CREDIT_CHARSET for ch in code):
        return False, "length or character set"
    if credit_check(code[:17]) != code[17]:
        return False, "GB 32100 check character"
    org = code[8:17]
    if org_check(org[:8]) != org[8]:
        return False, "GB 11714 organisation-code check"
    return True, "ok"


def synthetic_credit_code(rng, adcode, used):
    for _ in range(1000):
        if rng.random() < 0.6:
            body = str(rng.choice("1345670")) + "".join(rng.choice("0123456789") for _ in range(7))
        else:
            body = "MA0" + "".join(rng.choice(CREDIT_CHARSET) for _ in range(5))
        first17 = "91" + adcode + body + org_check(body)
        code = first17 + credit_check(first17)
        ok, _ = credit_code_valid(code)
        if ok and code not in used:
            used.add(code)
            return code
    fail("could not make a unique credit code")


# ----------------------------------------------------------------------------------------------------------
class Region:
    """Everything spatial, in EPSG:4546 metres."""

    def __init__(self, cfg):
        self.cfg = cfg
        self.seed = cfg["meta"]["seed"]
        self.load_reference()
        self.towns = [(t["name"],) + ll2m(*t["centre"]) + (t["spread_m"],) for t in cfg["towns"]]
        self.town_names = [t[0] for t in self.towns]
        self.villages = {n: ll2m(*c) for n, c in cfg["villages"].items()}
        self.fields = {f["name"]: ll2m(*f["centre"]) + (f["spread_m"],) for f in cfg["mining_fields"]}
        self.build_rivers()
        self.build_water_zones()
        self.build_parks()
        self.build_built_up()
        self.build_red_lines()
        self.build_air_stations()
        self.build_indexes()

    # --- reference -----------------------------------------------------------------------------------
    def load_reference(self):
        ref = self.cfg["reference"]
        with open(os.path.join(ROOT, ref["counties"]), encoding="utf-8") as f:
            counties = json.load(f)
        adcode = self.cfg["meta"]["adcode"]
        feats = {}
        for ft in counties["features"]:
            g_ll = ogr.CreateGeometryFromJson(json.dumps(ft["geometry"]))
            g_m = g_ll.Clone()
            g_m.Transform(LL2M)
            feats[ft["properties"]["adcode"]] = (ft["properties"]["name"], g_ll, g_m)
        if adcode not in feats:
            fail(f"adcode {adcode} not in {ref['counties']}")
        self.county_name, self.county_ll, self.county = feats[adcode]
        self.county_inner = self.county.Buffer(-MARGIN_COUNTY, 8)
        self.admin = []
        for code in sorted(feats):
            name, g_ll, g_m = feats[code]
            if code == adcode or g_m.Distance(self.county) <= ref["neighbour_max_distance_m"]:
                if not g_ll.IsValid():
                    fail(f"reference outline of {name} is invalid")
                self.admin.append((name, code, g_ll))
        with open(os.path.join(ROOT, ref["fen"]), encoding="utf-8") as f:
            fen = json.load(f)
        g = ogr.CreateGeometryFromJson(json.dumps(fen["features"][0]["geometry"]))
        w = ref["fen_window"]
        box = polygon([(w[0], w[1]), (w[2], w[1]), (w[2], w[3]), (w[0], w[3])])
        g = g.Intersection(box)
        if ogr.GT_Flatten(g.GetGeometryType()) != ogr.wkbLineString:
            fail("the clipped 汾河 is not a single line")
        g.Transform(LL2M)
        self.fen_coords = [(r2(x), r2(y)) for x, y in line_coords(g)]

    # --- rivers --------------------------------------------------------------------------------------
    def build_rivers(self):
        self.rivers = {}      # name -> dict(level, parent, geom, coords)
        specs = self.cfg["rivers"]
        for spec in specs:
            name = spec["name"]
            if spec.get("source") == "reference":
                coords = self.fen_coords
            else:
                wps = [ll2m(*p) for p in spec["waypoints"]]
                parent = self.rivers.get(spec["parent"]) if spec.get("parent") else None
                if "join" in spec:
                    if parent is None:
                        fail(f"{name}: parent {spec['parent']} must come first")
                    jx, jy = ll2m(*spec["join"])
                    end = min(parent["coords"], key=lambda c: (c[0] - jx) ** 2 + (c[1] - jy) ** 2)
                elif "ends_at_start_of" in spec:
                    other = self.rivers.get(spec["ends_at_start_of"])
                    if other is None:
                        fail(f"{name}: {spec['ends_at_start_of']} must come first")
                    end = other["coords"][0]
                else:
                    fail(f"{name}: needs join or ends_at_start_of")
                dense = catmull_rom(wps + [end], 40.0)
                rng = rng_for(self.seed, "river", name)
                wav = meander(dense, spec["amplitude_m"], spec["wavelength_m"], rng)
                coords = [(r2(x), r2(y)) for x, y in wav]
                coords[-1] = end
                dedup = [coords[0]]
                for c in coords[1:]:
                    if c != dedup[-1]:
                        dedup.append(c)
                coords = dedup
            g = linestring(coords)
            if not g.IsSimple():
                fail(f"river {name} intersects itself")
            self.rivers[name] = {"name": name, "level": spec["level"], "parent": spec.get("parent") or "",
                                 "coords": coords, "geom": g}
        # connection checks: each tributary's last vertex is a vertex of its parent; rivers touch only there
        for r in self.rivers.values():
            if r["parent"]:
                p = self.rivers[r["parent"]]
                if r["coords"][-1] not in p["coords"]:
                    fail(f"{r['name']} does not end on a vertex of {p['name']}")
        names = list(self.rivers)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                ga, gb = self.rivers[a]["geom"], self.rivers[b]["geom"]
                if not ga.Intersects(gb):
                    continue
                inter = ga.Intersection(gb)
                pts = set()
                if ogr.GT_Flatten(inter.GetGeometryType()) == ogr.wkbPoint:
                    pts.add((inter.GetX(), inter.GetY()))
                else:
                    for k in range(inter.GetGeometryCount()):
                        q = inter.GetGeometryRef(k)
                        if ogr.GT_Flatten(q.GetGeometryType()) != ogr.wkbPoint:
                            fail(f"rivers {a} and {b} overlap")
                        pts.add((q.GetX(), q.GetY()))
                ends = {self.rivers[a]["coords"][0], self.rivers[a]["coords"][-1],
                        self.rivers[b]["coords"][0], self.rivers[b]["coords"][-1]}
                for q in pts:
                    if not any(math.hypot(q[0] - e[0], q[1] - e[1]) < 0.01 for e in ends):
                        fail(f"rivers {a} and {b} cross away from a confluence at {m2ll(*q)}")
        self.fen = self.rivers["汾河"]["geom"]

    # --- water-source zones ---------------------------------------------------------------------------
    def build_water_zones(self):
        self.zones = []         # dicts: source, grade, kind, geom (final polygon)
        self.zone_outers = []   # (source, polygon of the outermost boundary)
        for ws in self.cfg["water_sources"]["list"]:
            name = ws["name"]
            rng = rng_for(self.seed, "zone", name)
            cx, cy = ll2m(*ws["at"])
            surface = ws["kind"] == "地表水型"
            r1, r2_ = ws["r1"], ws["r2"]
            g1 = blob(cx, cy, r1, r1 * rng.uniform(0.75, 0.95), rng.uniform(0, 180), rng,
                      n=24 if surface else 14, rough=0.22)
            o2 = blob(cx, cy, r2_, r2_ * rng.uniform(0.72, 0.92), rng.uniform(0, 180), rng, n=36, rough=0.2)
            p1 = polygon(g1)
            po2 = polygon(o2)
            if not po2.Contains(p1.Buffer(25)):
                fail(f"{name}: grade-1 zone not well inside grade-2")
            ring2 = polygon(o2, [g1])
            self.zones.append({"source": name, "grade": "一级保护区", "kind": ws["kind"], "geom": p1})
            self.zones.append({"source": name, "grade": "二级保护区", "kind": ws["kind"], "geom": ring2})
            outer = po2
            if ws.get("r3"):
                r3 = ws["r3"]
                o3 = blob(cx, cy, r3, r3 * rng.uniform(0.75, 0.92), rng.uniform(0, 180), rng, n=44, rough=0.16)
                po3 = polygon(o3)
                if not po3.Contains(po2.Buffer(50)):
                    fail(f"{name}: grade-2 zone not well inside the 准保护区")
                self.zones.append({"source": name, "grade": "准保护区", "kind": ws["kind"], "geom": polygon(o3, [o2])})
                outer = po3
            self.zone_outers.append((name, outer))
        for z in self.zones:
            if not z["geom"].IsValid():
                fail(f"zone {z['source']} {z['grade']} invalid")
        for i, (a, ga) in enumerate(self.zone_outers):
            if not self.county.Contains(ga):
                fail(f"water source {a}: zones reach outside 孝义市")
            for b, gb in self.zone_outers[i + 1:]:
                if ga.Distance(gb) < 100:
                    fail(f"water sources {a} and {b}: zones overlap or touch")

    # --- parks, built-up, red lines, stations --------------------------------------------------------------
    def build_parks(self):
        self.parks = []
        for p in self.cfg["parks"]["list"]:
            g = rounded_polygon(polygon([ll2m(*c) for c in p["outline"]]), p["name"])
            if not self.county_inner.Contains(g):
                fail(f"park {p['name']} is not 300 m inside 孝义市")
            self.parks.append({"name": p["name"], "geom": g, "roads": p["roads"],
                               "inner": g.Buffer(-MARGIN_CHEM_PARK, 8)})
        for i, a in enumerate(self.parks):
            for b in self.parks[i + 1:]:
                if a["geom"].Intersects(b["geom"]) and a["geom"].Intersection(b["geom"]).GetArea() > 0:
                    fail(f"parks {a['name']} and {b['name']} overlap")
            for zn, zg in self.zone_outers:
                if a["geom"].Distance(zg) < 200:
                    fail(f"park {a['name']} is within 200 m of water source {zn}")

    def build_built_up(self):
        b = self.cfg["built_up"]
        g = polygon([ll2m(*c) for c in b["outline"]])
        g.Segmentize(250)
        c = g.Centroid()
        cx, cy = c.GetX(), c.GetY()
        rng = rng_for(self.seed, "built_up")
        harm = [(k, rng.uniform(-1, 1), rng.uniform(0, 2 * math.pi)) for k in (5, 7, 9, 13, 17)]
        pts = []
        for x, y in ring_coords(g)[:-1]:
            ang = math.atan2(y - cy, x - cx)
            n = sum(a * math.sin(k * ang + ph) for k, a, ph in harm) / 2.5
            d = math.hypot(x - cx, y - cy)
            f = (d + b["noise_m"] * n) / d
            pts.append((cx + (x - cx) * f, cy + (y - cy) * f))
        g = polygon(pts)
        if not g.IsValid():
            fail("built-up outline invalid after noise")
        g = g.Intersection(self.county_inner)
        self.built_up = {"name": b["name"], "geom": rounded_polygon(g, b["name"])}
        area = self.built_up["geom"].GetArea() / 1e6
        if not 25 <= area <= 35:
            fail(f"built-up area is {area:.1f} km2, outside 25-35")

    def build_red_lines(self):
        rl = self.cfg["red_lines"]
        clip = self.county.Buffer(-200, 8)
        self.red_lines = []
        for bl in rl["blobs"]:
            rng = rng_for(self.seed, "red_line", bl["name"])
            cx, cy = ll2m(*bl["centre"])
            g = polygon(blob(cx, cy, bl["a"], bl["b"], bl["rot"], rng, n=56, rough=0.28))
            g = rounded_polygon(g.Intersection(clip), bl["name"])
            self.red_lines.append({"name": bl["name"], "type": bl["type"], "geom": g})
        wl = rl["wetland"]
        parts = None
        for reach in wl["reaches"]:
            bx = reach["box"]
            box = polygon([ll2m(bx[0], bx[1]), ll2m(bx[2], bx[1]), ll2m(bx[2], bx[3]), ll2m(bx[0], bx[3])])
            seg = self.rivers[reach["river"]]["geom"].Intersection(box)
            parts = seg if parts is None else parts.Union(seg)
        g = parts.Buffer(wl["half_width_m"], 8).Simplify(3.0)
        g = rounded_polygon(g.Intersection(self.county.Buffer(-50, 8)), wl["name"])
        self.red_lines.append({"name": wl["name"], "type": wl["type"], "geom": g})
        for r in self.red_lines:
            for zn, zg in self.zone_outers:
                if r["geom"].Distance(zg) < 100:
                    fail(f"red line {r['name']} overlaps water source {zn}")
            for p in self.parks:
                if r["geom"].Distance(p["geom"]) < 200:
                    fail(f"red line {r['name']} is within 200 m of park {p['name']}")
            if r["geom"].Distance(self.built_up["geom"]) < 1000:
                fail(f"red line {r['name']} is within 1 km of the built-up area")
        for i, a in enumerate(self.red_lines):
            for b in self.red_lines[i + 1:]:
                if a["geom"].Intersects(b["geom"]) and a["geom"].Intersection(b["geom"]).GetArea() > 0:
                    fail(f"red lines {a['name']} and {b['name']} overlap")

    def build_air_stations(self):
        self.stations = []
        for s in self.cfg["air_stations"]:
            x, y = ll2m(*s["at"])
            self.stations.append({"name": s["name"], "level": s["level"], "xy": (r2(x), r2(y)),
                                  "geom": point(r2(x), r2(y))})

    def build_indexes(self):
        self.river_union = None
        for r in self.rivers.values():
            self.river_union = r["geom"].Clone() if self.river_union is None else self.river_union.Union(r["geom"])
        self.wx_union = self.rivers["文峪河"]["geom"].Union(self.rivers["孝河"]["geom"])
        self.zone_union = None
        for _, g in self.zone_outers:
            self.zone_union = g.Clone() if self.zone_union is None else self.zone_union.Union(g)
        self.red_union = None
        for r in self.red_lines:
            self.red_union = r["geom"].Clone() if self.red_union is None else self.red_union.Union(r["geom"])
        self.park_union = None
        for p in self.parks:
            self.park_union = p["geom"].Clone() if self.park_union is None else self.park_union.Union(p["geom"])

    # --- lookups -------------------------------------------------------------------------------------
    def town_of(self, x, y):
        return min(self.towns, key=lambda t: (t[1] - x) ** 2 + (t[2] - y) ** 2)[0]

    def park_of(self, p):
        for pk in self.parks:
            if pk["geom"].Contains(p):
                return pk["name"]
        return ""

    def town(self, name):
        for t in self.towns:
            if t[0] == name:
                return t
        fail(f"unknown town {name}")

    def park(self, name):
        for p in self.parks:
            if p["name"] == name:
                return p
        fail(f"unknown park {name}")


# ----------------------------------------------------------------------------------------------------------
# The rules (what the server enforces).  Returns [(rule, severity, feature label, feature key)].
def evaluate(region, x, y, code):
    """The hits (rule, outcome, label, feature) of the map rules at (x, y); outcomes as the server reports them: a
    distance the texts do not give (a server setting) makes a prohibition a restriction."""
    p = point(x, y)
    hits = []
    for z in region.zones:
        if z["geom"].Contains(p):
            label = z["source"] + z["grade"]
            if code in WASTEWATER and z["grade"] != "准保护区":
                hits.append(("EEC-318", RESTRICTED, label, z["source"]))
            if z["grade"] == "一级保护区":
                hits.append(("EEC-319", PROHIBITED, label, z["source"]))
            if z["grade"] == "二级保护区" and code not in NON_EMITTING:
                hits.append(("EEC-320", PROHIBITED, label, z["source"]))
            if z["grade"] == "准保护区" and code in SEVERE_WATER:
                hits.append(("EEC-321", PROHIBITED, label, z["source"]))
    for r in region.red_lines:
        if r["geom"].Contains(p):
            hits.append(("EPRL-01", PROHIBITED, r["name"], r["name"]))
    for r in region.rivers.values():
        d = r["geom"].Distance(p)
        name = r["name"]
        if d <= 1000 and code in CHEM:
            hits.append(("YRPL-26", RESTRICTED, name, name))
        if r["level"] == "干流" and d <= 1000 and code in HIGH_POLLUTION:
            hits.append(("LL-287", RESTRICTED, name, name))
        if (r["level"] == "干流" and d <= 50) or (r["level"] == "支流" and d <= 30):
            hits.append(("LL-171", RESTRICTED, name, name))
        if name == "文峪河" and d <= 50:
            hits.append(("XY-1787-MAIN", RESTRICTED, name, name))
        if r["parent"] == "文峪河" and d <= 30:
            hits.append(("XY-1787-TRIB", RESTRICTED, name, name))
        if name in ("文峪河", "孝河") and d <= 1000 and (code in NONFERROUS or code in HAZCHEM):
            hits.append(("XY-1790", RESTRICTED, name, name))
    if code in CHEM and not any(pk["geom"].Contains(p) for pk in region.parks):
        hits.append(("XY-1867", PROHIBITED, "", ""))
    if code in HIGH_POLLUTION and region.built_up["geom"].Contains(p):
        hits.append(("XY-1775-EXISTING", RESTRICTED, region.built_up["name"], region.built_up["name"]))
    for s in region.stations:
        if code.startswith("62") and s["geom"].Distance(p) <= 500:
            hits.append(("XY24-94", PROHIBITED, s["name"], s["name"]))
    return hits


def robust(region, x, y):
    """True if no distance sits close to a rule threshold and no polygon edge is close (planted firms)."""
    p = point(x, y)
    for r in region.rivers.values():
        d = r["geom"].Distance(p)
        for t in (30, 50, 1000):
            if abs(d - t) < max(8.0, 0.15 * t):
                return False
    for s in region.stations:
        if abs(s["geom"].Distance(p) - 500) < 75:
            return False
    polys = [z["geom"] for z in region.zones] + [r["geom"] for r in region.red_lines] + \
            [pk["geom"] for pk in region.parks] + [region.built_up["geom"]]
    for g in polys:
        if g.Boundary().Distance(p) < 25:
            return False
    return True


# ----------------------------------------------------------------------------------------------------------
class Placer:
    def __init__(self, region):
        self.region = region
        self.grid = {}

    def _cell(self, x, y):
        return (int(x // MIN_SPACING), int(y // MIN_SPACING))

    def spaced(self, x, y):
        cx, cy = self._cell(x, y)
        for i in (-1, 0, 1):
            for j in (-1, 0, 1):
                for (px, py) in self.grid.get((cx + i, cy + j), ()):
                    if math.hypot(px - x, py - y) < MIN_SPACING:
                        return False
        return True

    def add(self, x, y):
        self.grid.setdefault(self._cell(x, y), []).append((x, y))

    def margins(self, x, y, code, kind, park_name):
        """Reason why (x, y) is not a safe place for a NON-planted firm, or None."""
        R = self.region
        p = point(x, y)
        if not R.county_inner.Contains(p):
            return "county edge"
        if not self.spaced(x, y):
            return "spacing"
        if R.zone_union.Distance(p) < MARGIN_ZONE:
            return "water zone"
        if R.red_union.Distance(p) < MARGIN_ZONE:
            return "red line"
        if R.river_union.Distance(p) < MARGIN_RIVER:
            return "river"
        if park_name:
            park = R.park(park_name)
            if not park["geom"].Contains(p):
                return "outside its park"
            if code in CHEM and not park["inner"].Contains(p):
                return "chemical too close to the park edge"
        else:
            if R.park_union.Distance(p) < PARK_CLEAR:
                return "inside/near a park"
        if code in CHEM and R.river_union.Distance(p) < MARGIN_CHEM_RIVER:
            return "chemical near a river"
        if code in HIGH_POLLUTION:
            if R.fen.Distance(p) < MARGIN_HIGH_FEN:
                return "high-pollution near the 汾河"
            if R.built_up["geom"].Distance(p) < MARGIN_HIGH_BUILT:
                return "high-pollution in/near the built-up area"
        elif kind not in URBAN_KINDS and R.built_up["geom"].Contains(p):
            return "industry inside the built-up area"
        if (code in NONFERROUS or code in HAZCHEM or code in CHEM) and R.wx_union.Distance(p) < MARGIN_WX:
            return "3216/hazchem near 文峪河 or 孝河"
        if code.startswith("62"):
            return "catering"
        return None

    def sample(self, rng, what, code, kind, centre=None, spread=None, park_name="", town=None, extra=None,
               tries=30000):
        """Rejection sampling: Gaussian around centre (spread grows slowly) or uniform in a park."""
        R = self.region
        reasons = {}
        if park_name:
            env = R.park(park_name)["geom"].GetEnvelope()
        for i in range(tries):
            if park_name:
                x, y = rng.uniform(env[0], env[1]), rng.uniform(env[2], env[3])
            else:
                s = spread * min(3.0, 1.0 + i / 4000.0)
                x, y = rng.gauss(centre[0], s), rng.gauss(centre[1], s)
            x, y = r2(x), r2(y)
            if town and R.town_of(x, y) != town:
                reasons["other town"] = reasons.get("other town", 0) + 1
                continue
            why = self.margins(x, y, code, kind, park_name)
            if why is None and extra is not None:
                why = extra(x, y)
            if why is None:
                self.add(x, y)
                return x, y
            reasons[why] = reasons.get(why, 0) + 1
        fail(f"cannot place {what} ({code}): {sorted(reasons.items(), key=lambda kv: -kv[1])[:6]}")


# ----------------------------------------------------------------------------------------------------------
class Builder:
    def __init__(self, cfg, region):
        self.cfg = cfg
        self.R = region
        self.seed = cfg["meta"]["seed"]
        self.placer = Placer(region)
        self.industries = {str(k): v for k, v in cfg["industries"].items()}
        self.aliases = cfg.get("town_aliases", {})
        self.used_codes = set()
        self.used_names = set()
        self.road_numbers = {}
        self.enterprises = []
        self.code_notes = []     # named firms whose printed code failed

    # --- attributes ----------------------------------------------------------------------------------
    def unique_name(self, rng, kind, town, x, y):
        pats = NAME_PATTERNS[kind]
        for _ in range(500):
            pat = rng.choice(pats)
            w = rng.choice(WORD_A) + rng.choice(WORD_B)
            if w[0] == w[1]:
                continue
            v = self.nearest_village(town, x, y) or town
            v = v[:-1] if v.endswith("村") and len(v) > 2 else v
            name = pat.format(w=w, v=v, t=town)
            if name not in self.used_names:
                return name
        fail(f"cannot make a unique name for {kind} in {town}")

    def nearest_village(self, town, x, y, max_d=6000):
        best, bd = None, max_d
        for n, (vx, vy) in self.R.villages.items():
            if self.R.town_of(vx, vy) != town:
                continue
            d = math.hypot(vx - x, vy - y)
            if d < bd:
                best, bd = n, d
        return best

    def address(self, rng, town, park_name, x, y):
        if park_name:
            park = self.R.park(park_name)
            prefix = {"孝义经济开发区": "孝义市经济开发区", "孝义工业园区": "孝义市工业园区"}.get(
                park_name, park_name if park_name.startswith("孝义市") else "孝义市" + park_name.replace("孝义", "", 1))
            road = rng.choice(park["roads"])
            for _ in range(200):
                n = rng.randint(1, 199)
                if (road, n) not in self.road_numbers:
                    self.road_numbers[(road, n)] = True
                    return f"{prefix}{road}{n}号"
            fail("no road number left")
        if self.R.built_up["geom"].Contains(point(x, y)):
            road = rng.choice(self.cfg["built_up"]["roads"])
            for _ in range(200):
                n = rng.randint(1, 399)
                if (road, n) not in self.road_numbers:
                    self.road_numbers[(road, n)] = True
                    return f"孝义市{town}{road}{n}号"
            fail("no street number left")
        v = self.nearest_village(town, x, y)
        return f"孝义市{town}{v}" if v else f"孝义市{town}"

    def status(self, rng, kind):
        w = self.cfg["status_weights"].get(kind, self.cfg["status_weights"]["default"])
        return rng.choices(STATUSES, weights=w)[0]

    def keys(self, rng, kind):
        probs = KEY_PROB.get(kind, (0, 0, 0, 0))
        return [k for k, pr in zip(KEY_ORDER, probs) if rng.random() < pr]

    def mgmt(self, rng, kind, keys):
        m = rng.choices(MGMT, weights=MGMT_PROB.get(kind, (0, 1, 0)))[0]
        if keys and m == "登记管理":
            m = "简化管理"
        return m

    def finish(self, rng, rec):
        """Fill in town, park, permit and check consistency; append."""
        x, y = rec["x"], rec["y"]
        town = self.R.town_of(x, y)
        if rec.get("town") and rec["town"] != town:
            fail(f"{rec['name']}: placed in {town}, expected {rec['town']}")
        rec["town"] = town
        park = self.R.park_of(point(x, y))
        if park != rec.get("park", ""):
            fail(f"{rec['name']}: park mismatch {park!r} vs {rec.get('park')!r}")
        rec["park"] = park
        code = rec["industry"]
        if code not in self.industries:
            fail(f"{rec['name']}: industry {code} not in the code list")
        rec["industry_name"] = self.industries[code]
        if not rec.get("address"):
            rec["address"] = self.address(rng, town, park, x, y)
        rec["permit"] = "" if rec["mgmt"] == "登记管理" else rec["credit"] + "001P"
        if rec["name"] in self.used_names:
            fail(f"duplicate name {rec['name']}")
        self.used_names.add(rec["name"])
        self.enterprises.append(rec)

    # --- planted ------------------------------------------------------------------------------------
    def place_planted(self):
        R = self.R
        for i, pl in enumerate(self.cfg["planted"]):
            rng = rng_for(self.seed, "planted", pl["name"])
            code = str(pl["industry"])
            place = pl["place"]
            target = None
            allowed = {""}
            cands = []
            if "inside" in place:
                feat = place["feature"]
                allowed.add(feat)
                if place["inside"] in ("grade1", "grade2"):
                    grade = "一级保护区" if place["inside"] == "grade1" else "二级保护区"
                    zs = [z for z in R.zones if z["source"] == feat and z["grade"] == grade]
                    if not zs:
                        fail(f"planted {pl['name']}: no {grade} of {feat}")
                    target = zs[0]["geom"]
                    edge = 25 if grade == "一级保护区" else 80
                elif place["inside"] == "red_lines":
                    target = [r for r in R.red_lines if r["name"] == feat][0]["geom"]
                    edge = 150
                elif place["inside"] == "built_up":
                    target = R.built_up["geom"]
                    edge = 250
                else:
                    fail(f"planted {pl['name']}: unknown inside {place['inside']}")
                env = target.GetEnvelope()
                c = target.Centroid()
                for _ in range(20000):
                    if rng.random() < 0.5:
                        x, y = rng.uniform(env[0], env[1]), rng.uniform(env[2], env[3])
                    else:
                        x, y = rng.gauss(c.GetX(), (env[1] - env[0]) / 6), rng.gauss(c.GetY(), (env[3] - env[2]) / 6)
                    p = point(x, y)
                    if target.Contains(p) and target.Boundary().Distance(p) >= edge:
                        cands.append((x, y))
            elif "river" in place:
                rv = R.rivers[place["river"]]
                allowed.add(place["river"])
                d = place["offset_m"]
                coords = rv["coords"]
                order = list(range(2, len(coords) - 2))
                rng.shuffle(order)
                for k in order:
                    (x0, y0), (x1, y1) = coords[k - 1], coords[k + 1]
                    L = math.hypot(x1 - x0, y1 - y0) or 1.0
                    nx, ny = -(y1 - y0) / L, (x1 - x0) / L
                    for side in (1, -1) if rng.random() < 0.5 else (-1, 1):
                        x, y = coords[k][0] + side * nx * d, coords[k][1] + side * ny * d
                        dd = rv["geom"].Distance(point(x, y))
                        if abs(dd - d) <= max(3.0, 0.08 * d):
                            cands.append((x, y))
            elif "near" in place:
                cx, cy = ll2m(*place["near"])
                for i2 in range(20000):
                    s = 300 * min(8.0, 1.0 + i2 / 1500.0)
                    cands.append((rng.gauss(cx, s), rng.gauss(cy, s)))
            else:
                fail(f"planted {pl['name']}: unknown place {place}")
            chosen = None
            for x, y in cands:
                x, y = r2(x), r2(y)
                p = point(x, y)
                if not R.county_inner.Contains(p) or not self.placer.spaced(x, y):
                    continue
                if R.park_union.Distance(p) < PARK_CLEAR:
                    continue
                hits = evaluate(R, x, y, code)
                if not hits or any(h[3] not in allowed for h in hits):
                    continue
                if not robust(R, x, y):
                    continue
                chosen = (x, y, hits)
                break
            if chosen is None:
                fail(f"cannot place planted breach {pl['name']} ({place})")
            x, y, hits = chosen
            self.placer.add(x, y)
            credit = synthetic_credit_code(rng, self.cfg["meta"]["adcode"], self.used_codes)
            rec = {"name": pl["name"], "x": x, "y": y, "industry": code, "kind": "planted",
                   "credit": credit, "status": "在产", "keys": [], "mgmt": "简化管理", "planted": True,
                   "note": pl["note"], "source": "planted breach (illustrative)"}
            self.finish(rng, rec)

    # --- named -------------------------------------------------------------------------------------
    def place_named(self):
        R = self.R
        for nf in self.cfg["named_firms"]:
            name = nf["name"]
            rng = rng_for(self.seed, "named", name)
            code = str(nf["industry"])
            kind = "named"
            town = self.aliases.get(nf.get("town"), nf.get("town"))
            if town and town not in R.town_names:
                fail(f"{name}: town {town} is not an official unit")
            park_name = nf.get("park", "")
            if park_name:
                x, y = self.placer.sample(rng, name, code, kind, park_name=park_name,
                                          extra=(lambda x, y, t=town: "other town" if t and R.town_of(x, y) != t else None))
            else:
                if "village" in nf:
                    centre, spread = R.villages[nf["village"]], 350.0
                elif "field" in nf:
                    f = R.fields[nf["field"]]
                    centre, spread = (f[0], f[1]), f[2]
                elif "near" in nf:
                    centre, spread = ll2m(*nf["near"]), 250.0
                else:
                    t = R.town(town)
                    centre, spread = (t[1], t[2]), t[3]
                urban_ok = code in ("4430", "5941", "5942")
                x, y = self.placer.sample(rng, name, code, "heat" if urban_ok else kind, centre=centre,
                                          spread=spread, town=town)
            printed = str(nf["code_printed"]) if nf.get("code_printed") is not None else ""
            credit = ""
            if printed:
                ok, why = credit_code_valid(printed)
                if ok and printed not in self.used_codes:
                    credit = printed
                    self.used_codes.add(printed)
                else:
                    self.code_notes.append({"name": name, "printed": printed, "why": why})
            if not credit:
                credit = synthetic_credit_code(rng, self.cfg["meta"]["adcode"], self.used_codes)
            keys = [k for k in KEY_ORDER if k in (nf.get("key") or [])]
            if code in HIGH_POLLUTION or code in CHEM or code in ("4620", "7724") or "土壤" in keys:
                mgmt = "重点管理"
            else:
                mgmt = "简化管理"
            rec = {"name": name, "x": x, "y": y, "industry": code, "kind": kind, "credit": credit,
                   "printed_code": printed, "status": nf.get("status", "在产"), "keys": keys, "mgmt": mgmt,
                   "town": town, "park": park_name, "address": nf.get("address", ""), "planted": False,
                   "source": nf.get("src", ""), "industry_note": nf.get("industry_note", "")}
            self.finish(rng, rec)

    # --- synthetic ---------------------------------------------------------------------------------
    def place_synthetic(self):
        R = self.R
        park_names = {p["name"] for p in R.parks}
        for gi, grp in enumerate(self.cfg["sector_mix"]):
            code, kind = str(grp["code"]), grp["kind"]
            if kind not in NAME_PATTERNS:
                fail(f"unknown kind {kind}")
            for place, n in grp["at"].items():
                for k in range(n):
                    rng = rng_for(self.seed, "firm", code, kind, place, k)
                    what = f"{kind} #{k + 1} at {place}"
                    if place in park_names:
                        x, y = self.placer.sample(rng, what, code, kind, park_name=place)
                    elif place in R.fields:
                        f = R.fields[place]
                        x, y = self.placer.sample(rng, what, code, kind, centre=(f[0], f[1]), spread=f[2])
                    elif place in R.town_names:
                        t = R.town(place)
                        x, y = self.placer.sample(rng, what, code, kind, centre=(t[1], t[2]), spread=t[3], town=place)
                    else:
                        fail(f"unknown place {place}")
                    town = R.town_of(x, y)
                    park = place if place in park_names else ""
                    name = self.unique_name(rng, kind, town, x, y)
                    keys = self.keys(rng, kind)
                    rec = {"name": name, "x": x, "y": y, "industry": code, "kind": kind,
                           "credit": synthetic_credit_code(rng, self.cfg["meta"]["adcode"], self.used_codes),
                           "status": self.status(rng, kind), "keys": keys, "mgmt": self.mgmt(rng, kind, keys),
                           "park": park, "planted": False, "source": "synthetic (illustrative)"}
                    self.finish(rng, rec)


# ----------------------------------------------------------------------------------------------------------
# Output
def write_zip(path, base, srs, geom_type, fields, rows, date):
    """rows: [(ogr geometry, [values...])].  One shapefile set <base>.* in a deterministic zip."""
    widths = []
    for i, (fname, minw) in enumerate(fields):
        if len(fname.encode("gbk")) > 10:
            fail(f"field name {fname} longer than 10 bytes in GBK")
        w = max([minw] + [len((r[1][i] or "").encode("gbk")) for r in rows])
        widths.append(w)
    with tempfile.TemporaryDirectory() as tmp:
        drv = ogr.GetDriverByName("ESRI Shapefile")
        ds = drv.CreateDataSource(tmp)
        lyr = ds.CreateLayer(base, srs, geom_type,
                             options=["ENCODING=CP936", "DBF_DATE_LAST_UPDATE=%04d-%02d-%02d" % tuple(date)])
        for (fname, _), w in zip(fields, widths):
            fd = ogr.FieldDefn(fname, ogr.OFTString)
            fd.SetWidth(w)
            lyr.CreateField(fd)
        defn = lyr.GetLayerDefn()
        for geom, values in rows:
            f = ogr.Feature(defn)
            for (fname, _), v in zip(fields, values):
                f.SetField(fname, v or "")
            f.SetGeometry(geom)
            lyr.CreateFeature(f)
            f = None
        ds = None
        entries = []
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            fp = os.path.join(tmp, base + ext)
            if not os.path.exists(fp):
                fail(f"GDAL did not write {base}{ext}")
            with open(fp, "rb") as fh:
                entries.append((base + ext, fh.read()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries:
            zi = zipfile.ZipInfo(name, date_time=tuple(date) + (0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.create_system = 3                 # Unix: unzip then honours the UTF-8 name flag
            zi.external_attr = 0o100644 << 16
            zf.writestr(zi, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    with open(path, "wb") as fh:
        fh.write(buf.getvalue())
    return {e[0][len(base):]: e[1] for e in entries}


def write_outputs(cfg, R, B):
    date = cfg["meta"]["fixed_date"]
    files = cfg["layer_files"]
    os.makedirs(OUT_DIR, exist_ok=True)
    layers = {}

    def emit(key, srs, epsg, gtype, gname, fields, rows):
        path = os.path.join(OUT_DIR, key + ".zip")
        parts = write_zip(path, files[key], srs, gtype, fields, rows, date)
        layers[key] = {"file": key + ".zip", "shapefile": files[key] + ".shp", "count": len(rows), "srid": epsg,
                       "encoding": "GBK", "cpg": parts[".cpg"].decode("ascii").strip(), "geometry": gname,
                       "fields": [f[0] for f in fields]}

    # admin boundaries (EPSG:4490, reference geometry as is)
    rows = [(g.Clone(), [name, code]) for name, code, g in R.admin]
    emit("admin_boundaries", SRS_LL, 4490, ogr.wkbPolygon, "Polygon", [("名称", 10), ("区划代码", 6)], rows)

    rows = [(r["geom"].Clone(), [r["name"], r["level"], r["parent"]]) for r in R.rivers.values()]
    emit("rivers", SRS_M, 4546, ogr.wkbLineString, "LineString",
         [("河流名称", 10), ("河流级别", 4), ("上级河流", 10)], rows)

    rows = [(z["geom"].Clone(), [z["source"], z["grade"], z["kind"]]) for z in R.zones]
    emit("water_source_zones", SRS_M, 4546, ogr.wkbPolygon, "Polygon",
         [("水源名称", 20), ("保护级别", 10), ("水源类型", 8)], rows)

    rows = [(r["geom"].Clone(), [r["name"], r["type"]]) for r in R.red_lines]
    emit("red_lines", SRS_M, 4546, ogr.wkbPolygon, "Polygon", [("红线名称", 20), ("红线类型", 12)], rows)

    rows = [(p["geom"].Clone(), [p["name"]]) for p in R.parks]
    emit("industrial_parks", SRS_M, 4546, ogr.wkbPolygon, "Polygon", [("园区名称", 20)], rows)

    rows = [(R.built_up["geom"].Clone(), [R.built_up["name"]])]
    emit("built_up_areas", SRS_M, 4546, ogr.wkbPolygon, "Polygon", [("名称", 20)], rows)

    rows = [(s["geom"].Clone(), [s["name"], s["level"]]) for s in R.stations]
    emit("air_stations", SRS_M, 4546, ogr.wkbPoint, "Point", [("站点名称", 20), ("站点级别", 4)], rows)

    ents = sorted(B.enterprises, key=lambda e: (R.town_names.index(e["town"]), e["industry"], e["name"]))
    rows = []
    for e in ents:
        rows.append((point(e["x"], e["y"]),
                     [e["name"], e["credit"], e["industry"], e["industry_name"], e["town"], e["park"],
                      ",".join(e["keys"]), e["permit"], e["mgmt"], e["status"], e["address"]]))
    emit("enterprises", SRS_M, 4546, ogr.wkbPoint, "Point",
         [("企业名称", 40), ("信用代码", 18), ("行业代码", 4), ("行业名称", 20), ("乡镇", 10), ("园区", 20),
          ("重点类别", 16), ("许可证号", 22), ("管理类别", 8), ("生产状态", 4), ("地址", 40)], rows)
    return layers, ents


def build_manifest(cfg, R, B, layers, ents):
    def counts(key):
        c = {}
        for e in ents:
            c[e[key]] = c.get(e[key], 0) + 1
        return c

    by_ind = dict(sorted(counts("industry").items()))
    by_status = {s: counts("status").get(s, 0) for s in STATUSES}
    by_town = {t: counts("town").get(t, 0) for t in R.town_names}
    by_park = {p["name"]: counts("park").get(p["name"], 0) for p in R.parks}
    planted = []
    for e in ents:
        if not e["planted"]:
            continue
        hits = evaluate(R, e["x"], e["y"], e["industry"])
        rules = sorted({h[0] for h in hits})
        feats = []
        for h in hits:
            if h[2] and h[2] not in feats:
                feats.append(h[2])
        lon, lat = m2ll(e["x"], e["y"])
        planted.append({"name": e["name"], "creditCode": e["credit"], "industry": e["industry"],
                        "industryName": e["industry_name"], "town": e["town"], "rules": rules,
                        "severity": {r: sorted({h[1] for h in hits if h[0] == r})[0] for r in rules},
                        "feature": "、".join(feats),
                        "binding": {r: BINDING[r] for r in rules},
                        "hits": [{"rule": h[0], "severity": h[1], "feature": h[2]} for h in hits],
                        "note": e["note"], "x": e["x"], "y": e["y"], "lon": round(lon, 7), "lat": round(lat, 7)})
    planted.sort(key=lambda p: [c["name"] for c in cfg["planted"]].index(p["name"]))
    manifest = {
        "generator": GENERATOR_REL,
        "seed": cfg["meta"]["seed"],
        "region": f"{cfg['meta']['region']} {cfg['meta']['adcode']}",
        "loadOrder": LOAD_ORDER,
        # the set is complete for its county on every layer it holds (the county outlines excepted: they are the
        # service area itself); the layers it does not hold stay without coverage
        "coverage": {"adcode": cfg["meta"]["adcode"], "layers": [k for k in LOAD_ORDER if k != "admin_boundaries"]},
        "layers": {k: layers[k] for k in LOAD_ORDER},
        "enterpriseCounts": {"total": len(ents), "byIndustry": by_ind, "byStatus": by_status, "byTown": by_town,
                             "byPark": by_park},
        "planted": planted,
        "namedFirms": [{"name": e["name"], "creditCode": e["credit"],
                        "creditCodeSource": "printed" if e["credit"] == e.get("printed_code") else "synthetic",
                        "industry": e["industry"], "town": e["town"], "park": e["park"], "source": e["source"]}
                       for e in sorted((e for e in ents if e["kind"] == "named"),
                                       key=lambda e: [n["name"] for n in cfg["named_firms"]].index(e["name"]))],
        "printedCodesRejected": B.code_notes,
        "notes": "All positions except the county outlines, the 汾河 and the two air stations are illustrative; "
                 "see data/SOURCES.md.",
    }
    return manifest


# ----------------------------------------------------------------------------------------------------------
def final_checks(R, B, ents):
    planted_names = {e["name"] for e in ents if e["planted"]}
    breaches = {}
    for e in ents:
        hits = evaluate(R, e["x"], e["y"], e["industry"])
        if hits:
            breaches[e["name"]] = hits
        if not R.county_inner.Contains(point(e["x"], e["y"])):
            fail(f"{e['name']} is not 300 m inside 孝义市")
        if e["industry"].startswith("62"):
            fail("catering firm in the demo")
    extra = set(breaches) - planted_names
    if extra:
        fail(f"unplanned breaches: {sorted(extra)[:10]} {[breaches[n] for n in sorted(extra)[:3]]}")
    missing = planted_names - set(breaches)
    if missing:
        fail(f"planted firms without a breach: {sorted(missing)}")
    codes = [e["credit"] for e in ents]
    if len(codes) != len(set(codes)):
        fail("credit codes not unique")
    for e in ents:
        ok, why = credit_code_valid(e["credit"])
        if not ok:
            fail(f"{e['name']}: invalid credit code {e['credit']} ({why})")
        if e["permit"] and not (e["permit"].startswith(e["credit"]) and len(e["permit"]) == 22):
            fail(f"{e['name']}: bad permit number")
    for z in R.zones:
        if z["grade"] == "一级保护区":
            outer = [o for n, o in R.zone_outers if n == z["source"]][0]
            if not outer.Contains(z["geom"]):
                fail(f"grade-1 zone of {z['source']} not inside its outer boundary")
    return breaches


def render_png(R, B, path):
    """A cheap overview map (no labels) rasterised with GDAL."""
    env = R.county.GetEnvelope()
    pad = 1500
    res = 25.0
    x0, x1, y0, y1 = env[0] - pad, env[1] + pad, env[2] - pad, env[3] + pad
    w, h = int((x1 - x0) / res), int((y1 - y0) / res)
    mem = gdal.GetDriverByName("MEM").Create("", w, h, 3, gdal.GDT_Byte)
    mem.SetGeoTransform((x0, res, 0, y1, 0, -res))
    mem.SetProjection(SRS_M.ExportToWkt())
    for b in range(1, 4):
        mem.GetRasterBand(b).Fill(255)
    vds = ogr.GetDriverByName("Memory").CreateDataSource("")

    def burn(geoms, rgb):
        lyr = vds.CreateLayer("l%d" % vds.GetLayerCount(), SRS_M, ogr.wkbUnknown)
        for g in geoms:
            f = ogr.Feature(lyr.GetLayerDefn())
            f.SetGeometry(g)
            lyr.CreateFeature(f)
        gdal.RasterizeLayer(mem, [1, 2, 3], lyr, burn_values=list(rgb))

    burn([R.county], (246, 244, 232))
    burn([p["geom"] for p in R.parks], (235, 205, 235))
    burn([R.built_up["geom"]], (215, 215, 215))
    burn([r["geom"] for r in R.red_lines], (190, 228, 180))
    for grade, rgb in (("准保护区", (214, 230, 255)), ("二级保护区", (165, 200, 255)), ("一级保护区", (60, 120, 240))):
        burn([z["geom"] for z in R.zones if z["grade"] == grade], rgb)
    burn([r["geom"].Buffer(45) for r in R.rivers.values()], (40, 100, 210))
    for name, code, g in R.admin:
        gm = g.Clone()
        gm.Transform(LL2M)
        burn([gm.Boundary().Buffer(30)], (90, 90, 90))
    burn([R.county.Boundary().Buffer(45)], (30, 30, 30))
    burn([s["geom"].Buffer(140) for s in R.stations], (0, 160, 160))
    colours = {"2521": (120, 60, 20), "3216": (200, 120, 0), "0610": (40, 40, 40)}
    for e in B.enterprises:
        if e["planted"]:
            continue
        c = (150, 0, 150) if e["industry"] in CHEM else colours.get(e["industry"], (110, 110, 110))
        burn([point(e["x"], e["y"]).Buffer(90)], c)
    burn([point(e["x"], e["y"]).Buffer(260) for e in B.enterprises if e["planted"]], (230, 0, 0))
    gdal.GetDriverByName("PNG").CreateCopy(path, mem)
    aux = path + ".aux.xml"
    if os.path.exists(aux):
        os.remove(aux)


def main():
    t0 = time.monotonic()
    with open(REGION_YAML, encoding="utf-8") as f:
        cfg = yaml.safe_load(f)
    R = Region(cfg)
    B = Builder(cfg, R)
    B.place_planted()
    B.place_named()
    B.place_synthetic()
    layers, ents = write_outputs(cfg, R, B)
    final_checks(R, B, ents)
    manifest = build_manifest(cfg, R, B, layers, ents)
    with open(os.path.join(OUT_DIR, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=2)
        f.write("\n")
    render_png(R, B, os.path.join(OUT_DIR, "overview.png"))
    dt = time.monotonic() - t0
    print(f"PolluMap demo data for {manifest['region']} (seed {manifest['seed']}) -> {os.path.relpath(OUT_DIR, ROOT)}/")
    for k in LOAD_ORDER:
        L = manifest["layers"][k]
        print(f"  {k:20s} {L['count']:4d} {L['geometry']:10s} EPSG:{L['srid']}  {L['file']} ({L['shapefile']})")
    st = manifest["enterpriseCounts"]["byStatus"]
    print(f"  enterprises by status: " + ", ".join(f"{k} {v}" for k, v in st.items()))
    print(f"  named firms: {len(manifest['namedFirms'])} "
          f"({sum(1 for n in manifest['namedFirms'] if n['creditCodeSource'] == 'printed')} with printed credit codes)")
    print(f"  planted breaches: {len(manifest['planted'])}")
    for p in manifest["planted"]:
        print(f"    {p['name']} [{p['industry']}] {','.join(p['rules'])}  <- {p['feature'] or '(outside every park)'}")
    print(f"  all other enterprises pass every rule; done in {dt:.1f} s")


if __name__ == "__main__":
    try:
        main()
    except GenError as e:
        print(f"generate.py: FAILED: {e}", file=sys.stderr)
        sys.exit(1)
