// Every label of the UI, 简体中文 first and English second. The language is remembered in localStorage.
// Static elements carry data-i18n (text), data-i18n-placeholder or data-i18n-title with a key; dynamic views
// re-render through onLangChange.

const STORAGE_KEY = 'pollumap.lang';

// key: [中文, English]; {name} marks a parameter.
const MESSAGES = {
  'app.title': ['污染源一张图', 'PolluMap'],
  'app.subtitle': ['PolluMap', 'Pollution sources on one map'],
  'app.pageTitle': ['污染源一张图 PolluMap', 'PolluMap 污染源一张图'],
  'login.pageTitle': ['登录 · 污染源一张图', 'Sign in · PolluMap'],
  'common.close': ['关闭', 'Close'],
  'common.loading': ['正在加载…', 'Loading…'],
  'common.reset': ['清除条件', 'Clear filters'],
  'common.previous': ['上一页', 'Previous'],
  'common.next': ['下一页', 'Next'],
  'common.pageOf': ['第 {page} / {pages} 页', 'Page {page} of {pages}'],
  'common.feature': ['要素', 'Feature'],
  'error.network': ['无法连接服务器，请检查网络后重试。', 'The server cannot be reached; check the network and try again.'],
  'error.http': ['服务器返回错误（HTTP {status}）。', 'The server answered with an error (HTTP {status}).'],

  'header.togglePanel': ['显示或隐藏侧栏', 'Show or hide the side panel'],
  'header.demo': ['演示数据', 'Demo data'],
  'header.otherLanguage': ['English', '中文'],
  'header.switchLanguage': ['Switch to English', '切换到中文'],
  'header.about': ['关于', 'About'],
  'header.signOut': ['退出', 'Sign out'],
  'header.signIn': ['登录', 'Sign in'],
  'role.ADMIN': ['管理员', 'Administrator'],
  'role.GIS': ['GIS 数据员', 'GIS staff'],
  'role.PLANNER': ['规划', 'Planner'],
  'role.INSPECTOR': ['巡查', 'Inspector'],

  'about.title': ['关于污染源一张图', 'About PolluMap'],
  'about.body': ['面向生态环境部门的污染源、饮用水水源保护区、河流和生态保护红线一张图，以及依据法规和规划条文的项目选址研判。',
    'Pollution sources, drinking-water source protection zones, rivers and ecological red lines on one map for environmental bureaus, with siting checks against the articles of the laws and plans.'],
  'about.demo': ['当前加载的是孝义市演示数据，仅作示意：只有县级行政区轮廓、汾河河道和两个空气站点的坐标是真实的，其余水源保护区、红线、园区和企业均为虚构，不能作为孝义市的环境信息使用。',
    'The demo data of 孝义市 (Xiaoyi) is loaded and is illustrative only: the county outlines, the 汾河 (Fen River) line and the two air-station positions are real; the water-source zones, red lines, parks and enterprises are invented and are not environmental information about Xiaoyi.'],
  'about.sources': ['数据来源见代码仓库中的 data/SOURCES.md。', 'Where the data comes from: data/SOURCES.md in the repository.'],
  'about.crs': ['坐标系：CGCS2000（EPSG:4490）。行业分类：GB/T 4754-2017。', 'Coordinates: CGCS2000 (EPSG:4490). Industries: GB/T 4754-2017.'],

  'tab.layers': ['图层', 'Layers'],
  'tab.search': ['企业查询', 'Search'],
  'tab.siting': ['选址研判', 'Siting'],
  'tab.suitability': ['适宜性分区', 'Where may it go'],
  'tab.violations': ['违规清单', 'Violations'],
  'tab.imports': ['数据导入', 'Import'],
  'tab.users': ['用户', 'Users'],

  'map.loading': ['正在加载图层…', 'Loading layers…'],
  'layers.empty': ['无数据', 'no data'],
  'layers.riverControl': ['河流管控距离', 'River control distances'],
  'layers.showRiverControl': ['在河流两侧绘制管控距离', 'Draw the control distances along the rivers'],
  'layers.band1000': ['1000 米 岸线管控范围', '1000 m shoreline control zone'],
  'layers.band50': ['50 米 生态缓冲带（汾河及入黄主要支流）', '50 m riparian buffer (Fen River and main Yellow River tributaries)'],
  'layers.band30': ['30 米 生态缓冲带（其余支流）', '30 m riparian buffer (other tributaries)'],
  'layers.riverControlHint': ['示意范围，按河道中心线绘制；研判以服务器计算结果为准。', 'Drawn around the river centre lines as a guide; the siting check computes the exact distances.'],
  'legend.keyUnit': ['重点排污单位', 'Key discharge unit'],
  'legend.closed': ['已关闭', 'Closed'],
  'legend.cluster': ['企业聚合（数量）', 'Cluster of enterprises (count)'],
  'cat.coke': ['焦化', 'Coking'],
  'cat.chem': ['化工', 'Chemicals'],
  'cat.steel': ['钢铁 / 铸造', 'Iron, steel, foundry'],
  'cat.nonferrous': ['有色金属冶炼', 'Nonferrous smelting'],
  'cat.kiln': ['水泥 / 建材窑炉', 'Cement, building-material kilns'],
  'cat.mining': ['采矿 / 洗煤', 'Mining, coal washing'],
  'cat.power': ['火电', 'Thermal power'],
  'cat.livestock': ['畜禽养殖', 'Livestock farming'],
  'cat.other': ['其他', 'Other'],
  'keyUnit.water': ['水环境', 'Water'],
  'keyUnit.air': ['大气环境', 'Air'],
  'keyUnit.soil': ['土壤环境', 'Soil'],
  'keyUnit.noise': ['声环境', 'Noise'],
  'popup.import': ['导入批次 #{id}', 'Import #{id}'],
  'popup.quality': ['数据质量问题', 'Data-quality flags'],
  'basemap.title': ['底图', 'Basemap'],
  'basemap.none': ['无底图（离线可用）', 'None (works offline)'],
  'basemap.tianditu': ['天地图矢量', 'Tianditu vector'],
  'basemap.xyz': ['自定义底图', 'Custom basemap'],
  'basemap.noneConfigured': ['服务器未配置在线底图（可设置 POLLUMAP_TIANDITU_KEY）。', 'No online basemap is configured (set POLLUMAP_TIANDITU_KEY).'],
  'basemap.gcjWarning': ['注意：高德、腾讯等 GCJ-02 底图与 CGCS2000 数据相差数百米，不能用于判读位置；天地图与本系统数据同为 CGCS2000。',
    'Note: GCJ-02 basemaps (Gaode/Amap, Tencent) are offset by hundreds of metres from CGCS2000 data, so do not read positions off them; Tianditu uses CGCS2000 like this data.'],

  'filters.industry': ['行业', 'Industry'],
  'filters.town': ['乡镇（街道）', 'Town'],
  'filters.keyUnit': ['重点排污单位', 'Key discharge unit'],
  'filters.status': ['生产状态', 'Status'],
  'filters.quality': ['数据质量', 'Data quality'],
  'filters.allIndustries': ['全部行业', 'All industries'],
  'filters.categories': ['行业类别', 'Categories'],
  'filters.industries': ['行业（GB/T 4754-2017）', 'Industries (GB/T 4754-2017)'],
  'filters.allTowns': ['全部乡镇', 'All towns'],
  'filters.anyKeyUnit': ['不限', 'Any'],
  'filters.anyStatus': ['全部状态', 'Any status'],
  'filters.anyQuality': ['不限', 'Any'],
  'filters.flagged': ['有数据质量问题', 'With a data-quality flag'],
  'filters.clean': ['无数据质量问题', 'Without flags'],
  'filters.flaggedField': ['“{field}”有问题', 'Flag on {field}'],

  'search.placeholder': ['企业名称或统一社会信用代码', 'Enterprise name or credit code'],
  'search.submit': ['查询', 'Search'],
  'search.count': ['共 {total} 家企业', '{total} enterprises'],
  'search.someOf': ['共 {total} 家，显示前 {shown} 家，请缩小条件', 'Showing {shown} of {total}; narrow the search'],

  'outcome.PROHIBITED': ['禁止', 'Prohibited'],
  'outcome.RESTRICTED': ['限制', 'Restricted'],
  'outcome.ALLOWED': ['允许', 'Allowed'],
  'outcome.INCOMPLETE': ['待补充信息', 'More information needed'],
  'outcome.NOTICE': ['提示', 'Notice'],
  'projectType.new': ['新建', 'New'],
  'projectType.expansion': ['扩建（改扩建）', 'Expansion'],
  'projectType.rebuild': ['改建（技术改造）', 'Rebuild'],
  'projectType.relocation': ['搬迁（迁建）', 'Relocation'],

  'siting.intro': ['在地图上画点或画面，或输入坐标；选择行业和项目类型后开始研判。', 'Draw a point or a polygon on the map, or type coordinates; choose the industry and the project type, then run the check.'],
  'siting.name': ['项目名称', 'Project name'],
  'siting.namePlaceholder': ['例如：某某焦化技改项目（可选）', 'e.g. Coking plant upgrade (optional)'],
  'siting.site': ['选址位置', 'Site'],
  'siting.drawPoint': ['在地图上画点', 'Draw a point'],
  'siting.drawPolygon': ['在地图上画面', 'Draw a polygon'],
  'siting.coordSystem': ['坐标系', 'Coordinate system'],
  'siting.system.lonlat': ['经纬度 CGCS2000', 'Longitude/latitude (CGCS2000)'],
  'siting.system.gk3': ['高斯-克吕格 3°带（CGCS2000）', 'Gauss-Krüger 3° zones (CGCS2000)'],
  'siting.system.gk6': ['高斯-克吕格 6°带（CGCS2000）', 'Gauss-Krüger 6° zones (CGCS2000)'],
  'siting.zone': ['中央经线 / 带号', 'Central meridian / zone'],
  'siting.zoneOption': ['中央经线 {cm}°E · 第 {zone} 带', 'CM {cm}°E · zone {zone}'],
  'siting.lon': ['经度', 'Longitude'],
  'siting.lat': ['纬度', 'Latitude'],
  'siting.northing': ['北坐标 X', 'Northing X'],
  'siting.easting': ['东坐标 Y', 'Easting Y'],
  'siting.lonPlaceholder': ['如 111.7817 或 111°46′54″', 'e.g. 111.7817 or 111°46′54″'],
  'siting.latPlaceholder': ['如 37.1414 或 37°08′29″', 'e.g. 37.1414 or 37°08′29″'],
  'siting.northingPlaceholder': ['如 4112345.67', 'e.g. 4112345.67'],
  'siting.eastingPlaceholder': ['如 37512345.67 或 512345.67', 'e.g. 37512345.67 or 512345.67'],
  'siting.coordsHint': ['小数度或度分秒均可，例如 111.7817、37.1414 或 111°46′54″、37°08′29″（CGCS2000）。', 'Decimal degrees or degrees-minutes-seconds, e.g. 111.7817, 37.1414 or 111°46′54″, 37°08′29″ (CGCS2000).'],
  'siting.gkHint': ['单位为米，X 为北坐标、Y 为东坐标。东坐标可含带号（如 37512345.67 的 37），不含带号时按所选中央经线换算。',
    'In metres: X is the northing, Y the easting. The easting may start with the zone number (the 37 of 37512345.67); without it, the chosen central meridian applies.'],
  'siting.locate': ['定位', 'Place'],
  'siting.coordsMissing': ['请填写两个坐标值。', 'Fill in both coordinates.'],
  'siting.metresAsDegrees': ['{a} 和 {b} 是米（高斯-克吕格平面坐标），不是经纬度（度）。', '{a} and {b} are metres (Gauss-Krüger grid coordinates), not degrees.'],
  'siting.prefixZone': ['东坐标 {easting} 开头的 {zone} 是带号：{width}°带，中央经线 {cm}°E。', 'The {zone} at the start of the easting {easting} is its zone number: {width}° zone, central meridian {cm}°E.'],
  'siting.noPrefix': ['东坐标 {easting} 不含带号，将按中央经线 {cm}°E（{width}°带）读取，读取后可更改。', 'The easting {easting} carries no zone number: it will be read with the central meridian {cm}°E ({width}° zone), which you can change afterwards.'],
  'siting.readAsGk': ['按高斯-克吕格坐标读取', 'Read them as Gauss-Krüger coordinates'],
  'siting.noSite': ['尚未选址：请画点、画面或输入坐标。', 'No site yet: draw a point or a polygon, or type coordinates.'],
  'siting.pointSite': ['点位：{lon}, {lat}（{dms}）', 'Point: {lon}, {lat} ({dms})'],
  'siting.polygonSite': ['地块面积约 {area} 平方千米', 'Polygon of about {area} km²'],
  'siting.industry': ['行业（GB/T 4754-2017）', 'Industry (GB/T 4754-2017)'],
  'siting.industryFilter': ['输入代码、名称或类别筛选', 'Filter by code, name or category'],
  'siting.projectType': ['项目类型', 'Project type'],
  'siting.run': ['开始研判', 'Run the check'],
  'siting.checking': ['正在研判…', 'Checking…'],
  'suitability.intro': ['选择行业、项目类型和区域，查看区域内哪些地方禁止、限制、允许该项目选址，哪些地方数据尚不能回答。分区与选址研判使用同一套规则；点击地图上任一位置可按该处进行完整研判。', 'Choose the industry, the project type and the region to see where in it the project is prohibited, restricted or allowed, and where the data cannot answer yet. The classes come from the same rules as the siting check; click anywhere on the map to run the full check there.'],
  'suitability.region': ['区域', 'Region'],
  'suitability.regionView': ['当前地图视图范围', 'The map as it is in view'],
  'suitability.regionDrawn': ['绘制的区域', 'The area drawn'],
  'suitability.drawRegion': ['在地图上绘制区域', 'Draw an area on the map'],
  'suitability.run': ['生成适宜性分区', 'Map where it may go'],
  'suitability.computing': ['正在按规则计算分区…', 'Working out the classes from the rules…'],
  'suitability.title': ['{industry}（{type}）', '{industry} ({type})'],
  'suitability.meta': ['研判日期 {day} · 区域面积 {area} km² · 规则库版本 {version} · {how}', 'As of {day} · region {area} km² · rule catalogue {version} · {how}'],
  'suitability.cached': ['取自缓存', 'from the cache'],
  'suitability.computed': ['计算用时 {s} 秒', 'computed in {s} s'],
  'suitability.class': ['分区', 'Class'],
  'suitability.area': ['面积（km²）', 'Area (km²)'],
  'suitability.share': ['占比', 'Share'],
  'suitability.incompleteHint': ['“待补充信息”的地方：规则所需的图层在那里尚未载入或未声明为完整（数据导入 → 覆盖范围），或要素缺少规则所需的字段。数据补齐后，这些地方会归入其余三类。', 'Where “more information needed”: a layer the rules read is not loaded there or not declared complete (Imports → coverage), or its features lack a field the rules need. Once the data is complete, these places fall into the other three classes.'],
  'suitability.clickHint': ['点击地图上的分区，查看该处适用的规则，并可在该处进行完整研判（含距离和条文）。', 'Click a class on the map to see the rules that apply there and run the full check at that spot (with distances and rule texts).'],
  'suitability.show': ['在地图上显示分区', 'Show the classes on the map'],
  'suitability.exportGeojson': ['导出 .geojson 文件', 'Export as GeoJSON'],
  'suitability.exportGpkg': ['导出 GeoPackage（.gpkg）', 'Export as GeoPackage'],
  'suitability.checkHere': ['在此处研判', 'Check this spot'],
  'suitability.classArea': ['本类共 {area} km²', '{area} km² in this class'],
  'suitability.noRules': ['已载入的数据中，没有规则限制此处。', 'No rule restricts this spot in the data loaded.'],
  'suitability.stale': ['图层数据已变更，当前分区可能已过时：请重新生成。', 'A layer has changed since: the classes shown may be out of date. Map them again.'],
  'siting.needSite': ['请先在地图上画出选址或输入坐标。', 'Draw the site on the map or type its coordinates first.'],
  'siting.needIndustry': ['请选择行业。', 'Choose the industry.'],
  'siting.verdictPROHIBITED': ['不得在此选址建设', 'The project may not be built here'],
  'siting.verdictRESTRICTED': ['可以建设，但须满足限制条件', 'Allowed only under the conditions below'],
  'siting.verdictALLOWED': ['适用的规则均已核查，未发现禁止或限制性规定', 'Every applicable rule was checked: none prohibits or restricts the site'],
  'siting.verdictINCOMPLETE': ['数据不足，尚不能得出结论：请先补充下列信息', 'The data cannot answer yet: the information below is missing'],
  'siting.missing': ['待补充的信息', 'Missing information'],
  'siting.notApplied': ['未适用的规则（依据文件未施行或已失效）', 'Rules not applied (their texts are not in force)'],
  'siting.asOf': ['按 {day} 施行的规定核查 · 所在：{places}', 'Checked against the law in force on {day} · in: {places}'],
  'siting.counts': ['禁止 {p} 项 · 限制 {r} 项 · 提示 {n} 项', '{p} prohibiting · {r} restricting · {n} notices'],
  'siting.report': ['研判报告', 'Report'],
  'siting.reportPdf': ['下载 PDF 报告', 'Download PDF report'],
  'siting.checkId': ['研判编号 {id}', 'Check no. {id}'],
  'siting.findings': ['研判依据', 'Findings'],
  'siting.noFindings': ['无。', 'None.'],
  'siting.notices': ['提示事项', 'Notices'],
  'siting.nearest': ['最近的要素', 'Nearest features'],
  'siting.inside': ['位于范围内', 'inside'],
  'siting.distance': ['距离 {d}', '{d} away'],
  'siting.conditions': ['条件：', 'Conditions: '],
  'siting.verdict': ['结论', 'Verdict'],
  'siting.rules': ['规则', 'Rules'],
  'siting.open': ['报告', 'Report'],
  'siting.batchSite': ['项目 / 行业', 'Project / industry'],
  'siting.batch': ['批量研判（表格或地理数据文件）', 'Batch check (a table or a geodata file)'],
  'siting.batchHint': ['CSV 表格每行一个选址，列为：名称、经度、纬度、行业代码，可加项目类型（新建、扩建、改建、迁建）；UTF-8 或 GBK 编码；经纬度可用小数度或度分秒。高斯-克吕格坐标用“北坐标”“东坐标”两列代替经纬度，并加“坐标系”（GK3 或 GK6）和“中央经线”或“带号”列（东坐标带带号时可省略）。也可上传 .geojson 要素文件，属性为 name、industry、projectType。',
    'One site per CSV line, with the columns name, lon, lat, industry and optionally projectType (new, expansion, rebuild, relocation); UTF-8 or GBK; coordinates in decimal degrees or DMS. For Gauss-Krüger coordinates use x (northing) and y (easting) instead of lon and lat, with a crs column (GK3 or GK6) and a cm (central meridian) or zone column, not needed when the easting starts with its zone number. Or a .geojson feature file with name, industry and projectType properties.'],
  'siting.batchRun': ['批量研判', 'Check all'],
  'siting.batchNeedFile': ['请选择 CSV 表格或 .geojson 文件。', 'Choose a CSV or a .geojson file.'],
  'siting.batchDownload': ['下载结果 CSV', 'Download results (CSV)'],
  'siting.batchError': ['出错', 'Error'],
  'siting.batchShow': ['在地图上查看完整结果', 'Show the full result on the map'],
  'siting.csvRow': ['行号', 'row'],
  'siting.csvName': ['项目名称', 'name'],
  'siting.csvIndustry': ['行业代码', 'industry'],
  'siting.csvVerdict': ['结论', 'verdict'],
  'siting.csvVerdictCode': ['结论代码', 'verdict_code'],
  'siting.csvRules': ['规则', 'rules'],
  'siting.csvCheck': ['研判编号', 'check_id'],
  'siting.csvReport': ['报告', 'report'],
  'siting.csvError': ['错误', 'error'],
  'siting.batchRow': ['行', 'Row'],

  'draw.marker': ['画点', 'Draw a point'],
  'draw.polygon': ['画面', 'Draw a polygon'],
  'draw.rectangle': ['画矩形', 'Draw a rectangle'],
  'draw.cancel': ['取消', 'Cancel'],
  'draw.cancelTitle': ['取消绘制', 'Cancel drawing'],
  'draw.finish': ['完成', 'Finish'],
  'draw.finishTitle': ['完成绘制', 'Finish drawing'],
  'draw.undo': ['撤销上一点', 'Delete last point'],
  'draw.undoTitle': ['删除最后画的点', 'Delete the last point drawn'],
  'draw.markerStart': ['在地图上点击放置选址点', 'Click the map to place the site'],
  'draw.polygonStart': ['点击开始画面', 'Click to start the polygon'],
  'draw.polygonCont': ['继续点击添加顶点', 'Click to add corners'],
  'draw.polygonEnd': ['点击第一个点闭合', 'Click the first point to close the polygon'],
  'draw.selfIntersection': ['边线不能相交', 'Edges cannot cross'],
  'draw.rectangleStart': ['按住并拖动画矩形', 'Click and drag to draw a rectangle'],
  'draw.simpleshapeEnd': ['松开鼠标完成', 'Release to finish'],

  'violations.scope': ['范围', 'Scope'],
  'violations.scope.existing': ['现有企业违反的规定', 'Breaches of rules binding existing firms'],
  'violations.scope.all': ['另含存量冲突（新建项目规定）', 'Also conflicts with rules for new projects'],
  'violations.conflict': ['存量冲突', 'Conflict'],
  'violations.conflictHint': ['该规定只约束新建项目：现有企业与之冲突，供规划参考，不属违规', 'The rule binds new projects only: the firm conflicts with it (for planning), it is not a breach'],
  'violations.unchecked': ['待补充信息的企业', 'Firms not fully checked'],
  'violations.uncheckedNote': ['{n} 家企业所在位置的部分图层尚未声明完整，相关规则无法核查（不视为合规）', '{n} firms lie where some layers are not declared complete: the rules on them could not be checked (not counted as compliant)'],
  'violations.breaches': ['违规记录', 'Breaches'],
  'violations.enterprises': ['涉及企业', 'Enterprises'],
  'violations.closedNote': ['另有 {n} 家已关闭企业位于管控范围内（生产状态选“关闭”可查看）。', '{n} closed enterprise(s) also lie in a controlled area (choose status “关闭 Closed” to list them).'],
  'violations.byRule': ['按规则统计', 'By rule'],
  'violations.byTown': ['按乡镇：', 'By town:'],
  'violations.computedAt': ['按 {day} 施行的规定于 {time} 计算，数据导入、回滚或覆盖范围变更后自动更新。', 'Computed {time} against the law in force on {day}; updated after every import, rollback or coverage change.'],
  'violations.pending': ['数据已变更，违规清单正在重新计算，以下仍为上次计算的结果。', 'The data changed and the list is being recomputed: what follows is still the last result.'],
  'violations.failed': ['重新计算失败（{time}：{reason}），以下为 {good} 的结果；将于 {retry} 自动重试。', 'The recompute failed ({time}: {reason}); what follows was computed {good}. It is retried at {retry}.'],
  'violations.filters': ['筛选与分项统计', 'Filters and breakdown'],
  'violations.showMarks': ['在地图上用红圈标出违规企业', 'Ring the listed enterprises on the map'],
  'violations.outcome': ['结论', 'Outcome'],
  'violations.anyOutcome': ['全部结论', 'All outcomes'],
  'violations.rule': ['规则', 'Rule'],
  'violations.anyRule': ['全部规则', 'All rules'],
  'violations.layer': ['管控图层', 'Controlled layer'],
  'violations.anyLayer': ['全部图层', 'All layers'],
  'violations.inView': ['仅当前地图范围', 'Only in the current map view'],
  'violations.total': ['共 {n} 条', '{n} breaches'],
  'violations.export': ['导出', 'Export'],
  'violations.none': ['没有符合条件的违规记录。', 'No breach matches these filters.'],

  'imports.coverage': ['数据完整范围', 'Complete for'],
  'imports.coverageNone': ['不声明', 'Not declared'],
  'imports.coverageHint': ['声明该文件在所选区域内是完整的：核查时，该区域内“未发现”才表示“没有”。替换导入会结束原数据的声明。', 'Declare the file complete for the area chosen: only then does "nothing found" there mean "nothing there". A replace ends the declarations of the data it replaces.'],
  'coverage.title': ['图层覆盖范围', 'Layer coverage'],
  'coverage.hint': ['图层未声明完整的区域内，依赖该图层的规则无法核查，结论为“待补充信息”。某区域确无此类要素（如无自然保护区）时，也请在此声明。', 'Where a layer is not declared complete, the rules that need it cannot be checked and the verdict is "more information needed". Declare it here too where the area truly has no such features (e.g. no nature reserve).'],
  'coverage.area': ['区域', 'Area'],
  'coverage.all': ['全部服务区域', 'The whole service area'],
  'coverage.note': ['说明', 'Note'],
  'coverage.notePlaceholder': ['如：经核实本县无自然保护区', 'e.g. verified: no nature reserve in the county'],
  'coverage.declare': ['声明完整', 'Declare complete'],
  'coverage.declared': ['已声明', 'Declared'],
  'coverage.withdraw': ['撤销', 'Withdraw'],
  'coverage.byImport': ['随导入 #{id}', 'with import #{id}'],
  'coverage.none': ['该图层尚未声明任何完整范围', 'No coverage declared for this layer'],
  'imports.file': ['数据文件', 'File'],
  'imports.fileHint': ['Shapefile（.shp/.shx/.dbf/.prj/.cpg 打包为 .zip）、GeoJSON、GeoPackage、KML/KMZ', 'A shapefile set zipped (.shp/.shx/.dbf/.prj/.cpg), GeoJSON, GeoPackage, KML/KMZ'],
  'imports.layer': ['目标图层', 'Layer'],
  'imports.chooseLayer': ['请选择图层', 'Choose a layer'],
  'imports.allLayers': ['全部图层', 'All layers'],
  'imports.mode': ['导入方式', 'Mode'],
  'imports.mode.append': ['追加', 'Append'],
  'imports.mode.replace': ['替换', 'Replace'],
  'imports.replaceHint': ['替换会先删除该图层的全部现有要素；每次导入都可以回滚。', 'Replace removes every feature of the layer first; every import can be rolled back.'],
  'imports.advanced': ['高级选项：坐标系、编码、图层', 'Advanced: coordinate system, encoding, source layer'],
  'imports.srid': ['源坐标系 EPSG 代码', 'Source EPSG code'],
  'imports.sridPlaceholder': ['自动识别（.prj），例如 4546', 'Detected from .prj, e.g. 4546'],
  'imports.encoding': ['属性编码', 'Attribute encoding'],
  'imports.encodingAuto': ['自动识别', 'Detect'],
  'imports.sourceLayer': ['源图层名（GeoPackage、KML 有多个图层时）', 'Source layer (GeoPackage or KML with several layers)'],
  'imports.sourceLayerPlaceholder': ['留空则用唯一的图层', 'Empty: the only layer'],
  'imports.reading': ['正在读取文件…', 'Reading the file…'],
  'imports.features': ['要素数', 'Features'],
  'imports.geometry': ['几何类型', 'Geometry'],
  'imports.crs': ['源坐标系', 'Source CRS'],
  'imports.encodingFound': ['属性编码', 'Encoding'],
  'imports.sha256': ['文件 SHA-256', 'File SHA-256'],
  'imports.mapping': ['字段对应', 'Field mapping'],
  'imports.canonicalField': ['图层字段', 'Layer field'],
  'imports.sourceField': ['文件中的字段', 'Field in the file'],
  'imports.notMapped': ['（不导入）', '(not imported)'],
  'imports.required': ['必填', 'required'],
  'imports.missingRequired': ['有必填字段未找到对应，请在下表中选择。', 'A required field has no match: choose it below.'],
  'imports.submit': ['上传并导入', 'Upload and import'],
  'imports.uploading': ['正在上传 {percent}%', 'Uploading {percent}%'],
  'imports.processing': ['服务器正在检查和入库…', 'The server is checking and loading…'],
  'imports.needFile': ['请选择要上传的文件。', 'Choose a file to upload.'],
  'imports.needLayer': ['请选择目标图层。', 'Choose the layer.'],
  'imports.confirmReplace': ['确定用该文件替换“{layer}”的全部要素吗？', 'Replace every feature of “{layer}” with this file?'],
  'imports.done': ['导入完成：{n} 个要素入库', 'Imported: {n} features loaded'],
  'imports.report': ['导入报告 #{id}', 'Import report #{id}'],
  'imports.count.read': ['读取', 'Read'],
  'imports.count.loaded': ['入库', 'Loaded'],
  'imports.count.repaired': ['修复', 'Repaired'],
  'imports.count.rejected': ['拒绝', 'Rejected'],
  'imports.count.flagged': ['有质量问题', 'Flagged'],
  'imports.count.replaced': ['替换', 'Replaced'],
  'imports.rejections': ['被拒绝的要素', 'Rejected features'],
  'imports.flagged': ['已入库但有数据质量问题的要素', 'Loaded with data-quality flags'],
  'imports.flags': ['问题', 'Flags'],
  'imports.featureNo': ['序号', 'No.'],
  'imports.featureName': ['名称', 'Name'],
  'imports.reasons': ['原因', 'Reasons'],
  'imports.history': ['导入记录', 'Import history'],
  'imports.noHistory': ['暂无导入记录。', 'No imports yet.'],
  'imports.rolledBackBy': ['已回滚（{user}，{time}）', 'Rolled back ({user}, {time})'],
  'imports.status.RUNNING': ['进行中', 'Running'],
  'imports.status.LOADED': ['已入库', 'Loaded'],
  'imports.status.REFUSED': ['已拒绝', 'Refused'],
  'imports.status.FAILED': ['失败', 'Failed'],
  'imports.status.INTERRUPTED': ['已中断', 'Interrupted'],
  'imports.status.ROLLED_BACK': ['已回滚', 'Rolled back'],
  'imports.phase': ['阶段：{phase}', 'at: {phase}'],
  'imports.phase.receiving': ['接收文件', 'receiving the file'],
  'imports.phase.inspecting': ['检查文件', 'inspecting the file'],
  'imports.phase.staging': ['GDAL 读取', 'reading with GDAL'],
  'imports.phase.checking': ['校验', 'checking'],
  'imports.phase.publishing': ['入库', 'publishing'],
  'imports.archivePruned': ['已超出可回滚范围', 'beyond the rollback window'],
  'imports.rollback': ['回滚', 'Roll back'],
  'imports.confirmRollback': ['确定回滚导入 #{id}（{file}）吗？其要素将被删除，被替换的要素将恢复。', 'Roll back import #{id} ({file})? Its features are removed and any it replaced come back.'],
  'imports.rolledBack': ['导入 #{id} 已回滚', 'Import #{id} rolled back'],

  'users.hint': ['账号的新建、停用和改密码通过 /api/users 接口进行。', 'Accounts are created, disabled and given new passwords through /api/users.'],
  'users.username': ['用户名', 'User'],
  'users.role': ['角色', 'Role'],
  'users.enabled': ['启用', 'Enabled'],
  'users.created': ['创建时间', 'Created'],
  'users.yes': ['是', 'yes'],
  'users.no': ['否（已停用）', 'no (disabled)'],

  'login.title': ['登录', 'Sign in'],
  'login.username': ['用户名', 'User name'],
  'login.password': ['密码', 'Password'],
  'login.submit': ['登录', 'Sign in'],
  'login.browse': ['不登录，浏览地图（只读）', 'Browse the map without signing in (read-only)'],
  'login.demo': ['演示模式：演示账号及密码由服务器启动时打印，并保存在状态目录的 demo-accounts.txt 中。', 'Demo mode: the demo accounts and their passwords are printed when the server starts and kept in demo-accounts.txt in its state folder.'],
  'login.needBoth': ['请输入用户名和密码。', 'Enter the user name and the password.'],
};

// Values stored in Chinese in the data, shown in English when the page is in English.
const VALUES = {
  在产: 'In production', 停产: 'Suspended', 关闭: 'Closed', 搬迁: 'Relocating',
  一级: 'Grade 1', 二级: 'Grade 2', 准保护区: 'Quasi-protection zone', 地表水: 'Surface water', 地下水: 'Groundwater',
  干流: 'Main stream', 支流: 'Tributary', 国控: 'National', 省控: 'Provincial', 市控: 'Municipal',
  重点管理: 'Key management', 简化管理: 'Simplified management', 登记管理: 'Registration',
};

let current = localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
const listeners = [];

export function lang() {
  return current;
}

export function t(key, params) {
  const message = MESSAGES[key];
  const text = message ? message[current === 'en' ? 1 : 0] : key;
  return params ? text.replace(/\{(\w+)\}/g, (all, name) => (name in params ? String(params[name]) : all)) : text;
}

/** The current language's side of a {zh, en} text from the server: titles, error details, reasons, warnings. */
export function tr(text) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return current === 'en' ? text.en || text.zh : text.zh || text.en;
}

/** A data value (在产, 一级, ...) in the current language. */
export function valueLabel(value) {
  return current === 'en' && VALUES[value] ? VALUES[value] : String(value);
}

export function formatNumber(value, digits = 0) {
  return Number(value).toLocaleString(current === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: digits });
}

export function formatDistance(metres) {
  return metres < 1000 ? `${formatNumber(metres)} m` : `${formatNumber(metres / 1000, 2)} km`;
}

export function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString(current === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'short', timeStyle: 'short' }) : '';
}

/** Translates one element marked with data-i18n, data-i18n-placeholder or data-i18n-title. */
export function localize(el) {
  if (el.dataset.i18n) el.textContent = t(el.dataset.i18n);
  if (el.dataset.i18nPlaceholder) el.placeholder = t(el.dataset.i18nPlaceholder);
  if (el.dataset.i18nTitle) el.title = t(el.dataset.i18nTitle);
}

/** Translates every marked element of the page. */
export function applyI18n() {
  document.querySelectorAll('[data-i18n], [data-i18n-placeholder], [data-i18n-title]').forEach(localize);
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
}

export function setLang(next) {
  current = next === 'en' ? 'en' : 'zh';
  localStorage.setItem(STORAGE_KEY, current);
  applyI18n();
  listeners.forEach((listener) => listener());
}

export function onLangChange(listener) {
  listeners.push(listener);
}
