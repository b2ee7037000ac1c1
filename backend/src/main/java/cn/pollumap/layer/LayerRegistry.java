package cn.pollumap.layer;

import static cn.pollumap.layer.LayerField.choice;
import static cn.pollumap.layer.LayerField.of;
import static cn.pollumap.layer.LayerField.text;
import static java.util.Map.entry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Text;

/**
 * Every layer PolluMap knows. Adding a layer is one entry here and one Flyway migration that creates its table
 * (see V2__layers.sql). Table and column names reach SQL only from here, never from a request.
 */
@Component
public class LayerRegistry {


    private final Map<String, LayerDefinition> layers = new LinkedHashMap<>();

    public LayerRegistry() {
        add(new LayerDefinition("enterprises", "企业（污染源）", "Enterprises (pollution sources)", GeometryKind.POINT, List.of(
                text("name", "企业名称", "Name", "企业名称", "单位名称", "名称", "企业名", "污染源名称", "排污单位名称", "NAME", "QYMC", "DWMC").asRequired(),
                of("credit_code", FieldType.CREDIT_CODE, "统一社会信用代码", "Unified social credit code",
                        "统一社会信用代码", "信用代码", "社会信用代码", "统一代码", "信用编码", "TYSHXYDM", "XYDM", "USCC", "CREDIT_CODE"),
                of("industry_code", FieldType.INDUSTRY_CODE, "行业代码", "Industry code (GB/T 4754-2017)",
                        "行业代码", "行业类别代码", "国民经济行业代码", "行业分类代码", "HYDM", "INDUSTRY", "INDUSTRY_CODE"),
                text("industry_name", "行业名称", "Industry", "行业名称", "行业类别", "行业", "所属行业", "HYMC", "INDUSTRY_NAME"),
                text("town", "乡镇（街道）", "Town / sub-district", "乡镇", "乡镇街道", "所在乡镇", "乡镇名称", "街道", "镇", "XZ", "TOWN"),
                text("park", "所在园区", "Industrial park", "园区", "所在园区", "工业园区", "园区名称", "YQ", "PARK"),
                new LayerField("key_unit", FieldType.KEY_UNITS, "重点排污单位类别", "Key discharge unit", false,
                        List.of("重点类别", "重点排污", "重点单位", "重点排污单位", "重点单位类别", "重点排污类别", "ZDLB", "KEY_UNIT"),
                        keyUnitValues()),
                text("permit_no", "排污许可证编号", "Discharge permit no.", "排污许可证编号", "许可证编号", "排污许可证", "许可证号", "许可编号", "PWXKZ", "PERMIT_NO"),
                choice("permit_class", "排污许可管理类别", "Permit class", ordered(
                                entry("重点管理", List.of("重点", "重点管理类")),
                                entry("简化管理", List.of("简化", "简化管理类")),
                                entry("登记管理", List.of("登记", "登记管理类", "排污登记"))),
                        "管理类别", "许可管理类别", "许可类别", "排污许可类别", "GLLB", "PERMIT_CLASS"),
                choice("status", "生产状态", "Status", ordered(
                                entry("在产", List.of("生产", "正常生产", "正常", "运营", "运行", "在营", "投产", "PRODUCING", "OPERATING")),
                                entry("停产", List.of("停业", "临时停产", "长期停产", "停产整治", "停运", "SUSPENDED")),
                                entry("关闭", List.of("关停", "取缔", "注销", "已关闭", "关闭取缔", "CLOSED")),
                                entry("搬迁", List.of("已搬迁", "迁出", "搬迁中", "RELOCATED"))),
                        "生产状态", "状态", "运行状态", "经营状态", "企业状态", "ZT", "STATUS"),
                text("address", "地址", "Address", "地址", "详细地址", "企业地址", "注册地址", "生产地址", "DZ", "ADDRESS"))));

        add(new LayerDefinition("water_source_zones", "饮用水水源保护区", "Drinking-water source protection zones", GeometryKind.POLYGON, List.of(
                text("name", "水源名称", "Water source", "水源名称", "水源地名称", "水源地", "水源", "保护区名称", "名称", "SYMC", "NAME").asRequired(),
                choice("grade", "保护级别", "Protection grade", ordered(
                                entry("一级", List.of("一级保护区", "一级区", "一级水源保护区", "一", "1", "１", "I", "Ⅰ", "一级饮用水水源保护区")),
                                entry("二级", List.of("二级保护区", "二级区", "二级水源保护区", "二", "2", "２", "II", "Ⅱ", "二级饮用水水源保护区")),
                                entry("准保护区", List.of("准保护", "准级", "准", "准保护区域", "3", "３", "III", "Ⅲ"))),
                        "保护级别", "级别", "保护区级别", "保护区类型", "分级", "等级", "BHJB", "JB", "GRADE").asRequired(),
                choice("kind", "水源类型", "Source type", ordered(
                                entry("地表水", List.of("地表水型", "河流型", "湖库型", "水库型", "河流", "湖泊", "水库", "SURFACE")),
                                entry("地下水", List.of("地下水型", "井", "水井", "泉", "岩溶水", "孔隙水", "GROUNDWATER"))),
                        "水源类型", "水源地类型", "类型", "LX", "KIND"),
                choice("aquifer", "含水层类型", "Aquifer", ordered(
                                entry("潜水", List.of("潜水含水层", "孔隙潜水", "浅层地下水", "UNCONFINED", "PHREATIC")),
                                entry("承压水", List.of("承压", "承压含水层", "深层承压水", "CONFINED"))),
                        "含水层类型", "含水层", "地下水类型", "HSC", "AQUIFER"))));

        add(new LayerDefinition("rivers", "河流", "Rivers", GeometryKind.LINE, List.of(
                text("name", "河流名称", "River", "河流名称", "河流", "河名", "河流名", "水系名称", "名称", "HLMC", "NAME").asRequired(),
                choice("level", "河流级别", "Level", ordered(
                                entry("干流", List.of("主干", "主河道", "主流", "干", "MAIN")),
                                entry("支流", List.of("一级支流", "二级支流", "三级支流", "支", "TRIBUTARY"))),
                        "河流级别", "级别", "等级", "类别", "河流等级", "JB", "LEVEL").asRequired(),
                text("parent", "上级河流", "Flows into", "上级河流", "所属河流", "汇入河流", "汇入", "干流名称", "PARENT"),
                choice("basin", "流域", "Basin", ordered(
                                entry("黄河", List.of("黄河流域", "黄河水系", "YELLOW", "YELLOW RIVER")),
                                entry("海河", List.of("海河流域", "海河水系", "HAIHE", "HAI RIVER"))),
                        "流域", "所属流域", "水系", "流域名称", "LY", "BASIN")
                        .filledFrom("name", ReferenceData.RIVER_BASINS, Text.of("按河流名称由山西河流名录（data/reference/shanxi-rivers.yaml）补填流域",
                                "basin filled from the river's name (Shanxi river list, data/reference/shanxi-rivers.yaml)")))));

        add(new LayerDefinition("river_buffers", "河流管控范围", "River control ranges and buffers", GeometryKind.POLYGON, List.of(
                text("name", "河流名称", "River", "河流名称", "河流", "河名", "名称", "NAME").asRequired(),
                choice("type", "范围类型", "Type", ordered(
                                entry("岸线管控范围", List.of("岸线管控", "管控范围", "岸线管控区")),
                                entry("生态缓冲带", List.of("缓冲带", "植被缓冲带", "河湖缓冲带", "生态缓冲区")),
                                entry("河道管理范围", List.of("管理范围", "河道管理线", "河道管理区"))),
                        "范围类型", "类型", "LX", "TYPE").asRequired(),
                of("width_m", FieldType.NUMBER, "宽度（米）", "Width (m)", "宽度", "宽度米", "缓冲宽度", "缓冲距离", "WIDTH", "WIDTH_M", "KD"))));

        add(new LayerDefinition("red_lines", "生态保护红线", "Ecological protection red lines", GeometryKind.POLYGON, List.of(
                text("name", "红线名称", "Name", "红线名称", "名称", "区域名称", "红线区名称", "HXMC", "NAME").asRequired(),
                choice("type", "红线类型", "Type", ordered(
                                entry("水源涵养", List.of("水源涵养功能", "水源涵养区", "水源涵养型", "水源涵养生态保护红线")),
                                entry("水土保持", List.of("水土保持功能", "水土保持区", "水土保持型", "水土保持生态保护红线")),
                                entry("生物多样性维护", List.of("生物多样性维护功能", "生物多样性保护", "生物多样性维护区", "生物多样性")),
                                entry("防风固沙", List.of("防风固沙功能", "防风固沙区")),
                                entry("水土流失", List.of("水土流失敏感", "水土流失控制", "水土流失敏感区")),
                                entry("土地沙化", List.of("土地沙化敏感", "沙化敏感区")),
                                entry("自然保护地", List.of("自然保护区", "湿地公园", "森林公园", "风景名胜区", "地质公园", "国家湿地公园"))),
                        "红线类型", "类型", "主导功能", "功能类型", "LX", "TYPE"))));

        add(polygonLayer("industrial_parks", "工业园区", "Industrial parks", "园区名称", "开发区名称"));
        add(polygonLayer("built_up_areas", "城市建成区", "Built-up areas", "建成区名称", "建成区"));
        add(polygonLayer("planning_areas", "城市（县城）规划区", "City / county-town planning areas", "规划区名称", "规划区"));
        add(new LayerDefinition("spring_zones", "泉域及其重点保护区", "Karst-spring areas and key protection zones", GeometryKind.POLYGON, List.of(
                text("name", "泉域名称", "Name", "泉域名称", "泉域", "名称", "NAME", "MC").asRequired(),
                choice("type", "范围类型", "Type", ordered(
                                entry("重点保护区", List.of("泉域重点保护区", "重点保护区域", "重点区", "KEY")),
                                entry("泉域", List.of("泉域范围", "泉域保护范围", "一般保护区", "SPRING AREA"))),
                        "范围类型", "类型", "保护区类型", "LX", "TYPE"))));

        add(new LayerDefinition("basic_farmland", "永久基本农田", "Permanent basic farmland", GeometryKind.POLYGON, List.of(
                text("name", "名称", "Name", "名称", "保护区名称", "片区名称", "NAME"),
                text("code", "图斑编号", "Patch no.", "图斑编号", "地块编号", "编号", "TBBH", "BH", "CODE"))));

        add(new LayerDefinition("nature_reserves", "自然保护地", "Nature reserves and parks", GeometryKind.POLYGON, List.of(
                text("name", "保护地名称", "Name", "保护地名称", "保护区名称", "名称", "NAME").asRequired(),
                // 自然保护区条例 (2026年修订) and 生态环境法典 第八百六十一条: 核心保护区 and 一般控制区; the zones of the
                // old regulation (核心区、缓冲区 → 核心保护区, 实验区 → 一般控制区) are read and reported.
                choice("zone", "管控分区", "Zone", ordered(
                                entry("核心保护区", List.of("核心", "核心区", "缓冲区", "缓冲")),
                                entry("一般控制区", List.of("一般控制", "实验区", "实验"))),
                        "管控分区", "功能分区", "功能区", "分区", "ZONE")
                        .withLegacy(Text.of("按修订前的功能分区填报（核心区、缓冲区、实验区），已按《自然保护区条例》（2026年修订）转为核心保护区、一般控制区，请核对",
                                        "given in the zones of the old regulation (核心区, 缓冲区, 实验区) and read as the 核心保护区 and 一般控制区 of the revised regulation (2026): please check"),
                                "核心区", "缓冲区", "缓冲", "实验区", "实验"),
                choice("kind", "保护地类型", "Kind", ordered(
                                entry("自然保护区", List.of("保护区")),
                                entry("湿地公园", List.of("国家湿地公园", "省级湿地公园")),
                                entry("森林公园", List.of("国家森林公园", "省级森林公园")),
                                entry("风景名胜区", List.of("风景区")),
                                entry("地质公园", List.of("国家地质公园"))),
                        "保护地类型", "类型", "KIND"))));

        add(new LayerDefinition("air_stations", "空气质量监测站点", "Air-quality monitoring stations", GeometryKind.POINT, List.of(
                text("name", "站点名称", "Station", "站点名称", "站点", "监测站名称", "名称", "ZDMC", "NAME").asRequired(),
                choice("level", "站点级别", "Level", ordered(
                                entry("国控", List.of("国控点", "国控站", "国家")),
                                entry("省控", List.of("省控点", "省控站", "省级")),
                                entry("市控", List.of("市控点", "市控站", "市级", "县控", "县控点"))),
                        "站点级别", "级别", "站点类型", "JB", "LEVEL"))));

        add(new LayerDefinition("admin_boundaries", "行政区划", "Administrative boundaries", GeometryKind.POLYGON, List.of(
                text("name", "行政区名称", "Name", "名称", "行政区名称", "行政区", "县名", "区县名称", "XZQMC", "NAME").asRequired(),
                of("adcode", FieldType.ADCODE, "行政区划代码", "Division code (GB/T 2260)", "区划代码", "行政区划代码", "行政区代码", "代码", "XZQDM", "ADCODE"))));
    }

    private static LayerDefinition polygonLayer(String id, String zh, String en, String... nameAliases) {
        String[] aliases = java.util.stream.Stream.concat(java.util.Arrays.stream(nameAliases),
                java.util.stream.Stream.of("名称", "NAME", "MC")).toArray(String[]::new);
        return new LayerDefinition(id, zh, en, GeometryKind.POLYGON,
                List.of(text("name", "名称", "Name", aliases).asRequired()));
    }

    /** Accepted values in the order people expect them (一级, 二级, 准保护区), each with its variants. */
    @SafeVarargs
    private static Map<String, List<String>> ordered(Map.Entry<String, List<String>>... values) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> v : values) {
            map.put(v.getKey(), v.getValue());
        }
        return map;
    }

    private static Map<String, List<String>> keyUnitValues() {
        return ordered(
                entry("water", List.of("水", "水环境", "废水", "水污染", "水环境重点排污单位", "W")),
                entry("air", List.of("大气", "气", "大气环境", "废气", "大气污染", "大气环境重点排污单位", "A")),
                entry("soil", List.of("土壤", "土", "土壤环境", "土壤污染", "土壤污染重点监管单位", "S")),
                entry("noise", List.of("噪声", "声", "噪音", "声环境", "N")),
                // "not a key unit" written out; normalised to an empty list
                entry("", List.of("否", "无", "非重点", "NO", "NONE", "-")));
    }

    private void add(LayerDefinition layer) {
        layers.put(layer.id(), layer);
    }

    public List<LayerDefinition> all() {
        return List.copyOf(layers.values());
    }

    public Optional<LayerDefinition> find(String id) {
        return Optional.ofNullable(id == null ? null : layers.get(id));
    }

    /** The layer, or a 400 naming the layers there are. */
    public LayerDefinition require(String id, String where) {
        return find(id).orElseThrow(() -> ApiException.badRequest("unknown_layer", Text.of(
                "未知图层 " + Text.quoted(id) + "，可用：" + String.join(", ", layers.keySet()),
                "unknown layer " + Text.quoted(id) + "; known: " + String.join(", ", layers.keySet())), where));
    }
}
