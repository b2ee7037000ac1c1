package cn.pollumap.siting;

import cn.pollumap.rules.Rule;

/** A proposed site, checked: its GeoJSON geometry (lon/lat), its industry (GB/T 4754-2017) and project type. */
record Site(String name, String geojson, String industryCode, Rule.ProjectType projectType) {
}
