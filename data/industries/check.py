#!/usr/bin/env python3
"""Check gbt4754-2017.yaml and categories.yaml in this folder.

Checks: every code unique and well-formed per level; every division's section, every group's division and every
class's group and division exist; every group has at least one class; a group with a single class ending in 0 has
the same name; formerCodes are 4-digit; every category code or prefix matches at least one class; except and
retained entries are well-formed and retained codes are inside the category. Prints the counts per level and per
category, and compares with ../rules/industries.yaml (the rules' current class list) when it is there.

Usage: python3 data/industries/check.py        (exit status 1 on any error)
Needs PyYAML (Debian: apt-get install -y python3-yaml).
"""
import os
import re
import sys

try:
    import yaml
except ImportError:  # pragma: no cover
    sys.exit("PyYAML is missing: apt-get install -y python3-yaml")

HERE = os.path.dirname(os.path.abspath(__file__))
errors = []


def err(msg):
    errors.append(msg)


def load(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return yaml.safe_load(f)


table = load("gbt4754-2017.yaml")
cats = load("categories.yaml")["categories"]

PATTERN = {"sections": r"[A-T]", "divisions": r"\d{2}", "groups": r"\d{3}", "classes": r"\d{4}"}
levels = {}
for level, pat in PATTERN.items():
    rows = table.get(level) or []
    seen = {}
    for row in rows:
        code = row.get("code")
        if not isinstance(code, str) or not re.fullmatch(pat, code):
            err(f"{level}: bad code {code!r} (must be a quoted string matching {pat})")
            continue
        if code in seen:
            err(f"{level}: duplicate code {code}")
        for key in ("zh", "en"):
            if not isinstance(row.get(key), str) or not row[key].strip():
                err(f"{level} {code}: missing {key}")
        seen[code] = row
    levels[level] = seen

sections, divisions, groups, classes = (levels[k] for k in ("sections", "divisions", "groups", "classes"))

for code, row in divisions.items():
    if row.get("section") not in sections:
        err(f"division {code}: section {row.get('section')!r} does not exist")
for code in groups:
    if code[:2] not in divisions:
        err(f"group {code}: division {code[:2]} does not exist")
children = {}
for code, row in classes.items():
    if code[:3] not in groups:
        err(f"class {code}: group {code[:3]} does not exist")
    if code[:2] not in divisions:
        err(f"class {code}: division {code[:2]} does not exist")
    children.setdefault(code[:3], []).append(code)
    former = row.get("formerCodes", [])
    if not isinstance(former, list) or any(not isinstance(f, str) or not re.fullmatch(r"\d{4}", f) for f in former):
        err(f"class {code}: formerCodes must be a list of quoted 4-digit codes, got {former!r}")
for code, row in groups.items():
    kids = children.get(code, [])
    if not kids:
        err(f"group {code}: has no class (a group without 小类 needs a class {code}0)")
    elif len(kids) == 1 and kids[0].endswith("0") and classes[kids[0]]["zh"] != row["zh"]:
        err(f"group {code}: single class {kids[0]} has another name ({classes[kids[0]]['zh']} / {row['zh']})")


def expand(entries, where):
    out = set()
    for entry in entries or []:
        if not isinstance(entry, str) or not re.fullmatch(r"\d{4}|\d{2,3}\*", entry):
            err(f"{where}: bad entry {entry!r} (4-digit code, or 2-3 digits followed by *)")
            continue
        hit = {c for c in classes if c == entry} if "*" not in entry else \
              {c for c in classes if c.startswith(entry[:-1])}
        if not hit:
            err(f"{where}: {entry} matches no class")
        out |= hit
    return out


members = {}
for name, cat in cats.items():
    for key in ("en", "source"):
        if not isinstance(cat.get(key), str) or not cat[key].strip():
            err(f"category {name}: missing {key}")
    crit = cat.get("criterion") or {}
    if not (isinstance(crit, dict) and crit.get("zh") and crit.get("en")):
        err(f"category {name}: criterion needs zh and en")
    inc = expand(cat.get("codes"), f"category {name} codes")
    exc = expand(cat.get("except"), f"category {name} except")
    ret = expand(cat.get("retained"), f"category {name} retained")
    if ret - (inc - exc):
        err(f"category {name}: retained codes not in the category: {sorted(ret - (inc - exc))}")
    members[name] = inc - exc
    if not members[name]:
        err(f"category {name}: no class")

print("GB/T 4754-2017 table:", table["standard"]["code"], "-", table["standard"]["title"])
for level in PATTERN:
    print(f"  {level:<10} {len(levels[level]):>5}")
print(f"  classes with formerCodes: {sum(1 for r in classes.values() if r.get('formerCodes'))}")
print("Categories (classes each):")
for name in cats:
    print(f"  {name:<10} {len(members[name]):>4}")

# Compare with the rules' current industry list, when present.
old_path = os.path.join(HERE, "..", "rules", "industries.yaml")
if os.path.exists(old_path):
    with open(old_path, encoding="utf-8") as f:
        old = yaml.safe_load(f)
    lost, gained = [], []
    for ind in old.get("industries", []):
        code = ind["code"]
        if code not in classes:
            err(f"rules/industries.yaml class {code} is not in the table")
            continue
        if classes[code]["zh"] != ind["zh"]:
            err(f"rules/industries.yaml class {code}: name {ind['zh']} differs from the table's {classes[code]['zh']}")
        now = {n for n, m in members.items() if code in m}
        was = set(ind.get("categories") or [])
        for c in sorted(was - now):
            lost.append(f"{code} {c}")
        for c in sorted((now - was) & set(old.get("categories", {}))):
            gained.append(f"{code} {c}")
        if ind.get("formerCodes") and sorted(ind["formerCodes"]) != sorted(classes[code].get("formerCodes", [])):
            print(f"  note: {code} formerCodes {ind['formerCodes']} in rules/industries.yaml, "
                  f"{classes[code].get('formerCodes')} here")
    missing = set(old.get("categories", {})) - set(cats)
    if missing:
        err(f"categories of rules/industries.yaml not defined here: {sorted(missing)}")
    print(f"Against rules/industries.yaml ({len(old.get('industries', []))} classes): "
          f"{len(lost)} category memberships lost, {len(gained)} gained")
    for x in lost:
        print("  lost  ", x)
    for x in gained:
        print("  gained", x)

if errors:
    print(f"\n{len(errors)} error(s):")
    for e in errors:
        print("  -", e)
    sys.exit(1)
print("OK")
