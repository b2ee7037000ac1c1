package cn.pollumap.ogcapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import cn.pollumap.layer.FieldType;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.Language;
import cn.pollumap.platform.Text;

/**
 * The API definition ({@code service-desc}): an OpenAPI 3.0 document of every path and parameter served, built
 * from the layer registry. Besides the generic {@code /collections/{collectionId}/items}, each layer has its own
 * items path listing its fields as query parameters: that is where GDAL's OAPIF driver (and QGIS) look for the
 * properties they may filter on the server.
 */
@Component
class OpenApiDocument {

    static final String MEDIA_TYPE = "application/vnd.oai.openapi+json;version=3.0";
    static final Text DESCRIPTION = Text.of("污染源、饮用水水源保护区、河流、生态保护红线等图层，GeoJSON 格式，坐标为 CRS84"
            + "（CGCS2000 经纬度）", "pollution sources, drinking-water source protection zones, rivers, ecological red "
            + "lines and the other layers, as GeoJSON in CRS84 (CGCS2000 lon/lat)");
    private static final String JSON = "application/json";
    private static final String GEOJSON = "application/geo+json";
    private static final String SCHEMA_JSON = "application/schema+json";

    private final LayerRegistry registry;

    OpenApiDocument(LayerRegistry registry) {
        this.registry = registry;
    }

    /** The document for a server whose OGC API root is {@code root} (e.g. {@code http://host/ogc}). */
    Map<String, Object> build(String root) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", map("title", Language.of(Text.of("污染源一张图 OGC API - Features", "PolluMap OGC API - Features")),
                "version", "1.0.0", "description", Language.of(DESCRIPTION)));
        doc.put("servers", List.of(map("url", root)));
        Map<String, Object> paths = new LinkedHashMap<>();
        paths.put("/", get("getLandingPage", Text.of("服务首页", "landing page"), List.of(), ok(JSON, ref("landingPage"))));
        paths.put("/api", get("getApiDefinition", Text.of("本接口定义", "this API definition"), List.of(),
                ok(MEDIA_TYPE, map("type", "object"))));
        paths.put("/api.html", get("getApiDocumentation", Text.of("接口说明", "API documentation"), List.of(),
                ok("text/html", map("type", "string"))));
        paths.put("/conformance", get("getConformance", Text.of("符合的标准类", "conformance classes"),
                List.of(), ok(JSON, ref("confClasses"))));
        paths.put("/collections", get("getCollections", Text.of("图层列表", "the layers"), List.of(), ok(JSON,
                ref("collections"))));
        paths.put("/collections/{collectionId}", get("describeCollection", Text.of("单个图层", "one layer"),
                List.of(param("collectionId")), ok(JSON, ref("collection")), notFound()));
        paths.put("/collections/{collectionId}/queryables", get("getQueryables",
                Text.of("可筛选的字段", "the properties a layer can be filtered by"), List.of(param("collectionId")),
                ok(SCHEMA_JSON, map("type", "object")), notFound()));
        List<Object> itemsParameters = new ArrayList<>(List.of(param("collectionId")));
        itemsParameters.addAll(queryParameters());
        paths.put("/collections/{collectionId}/items", get("getFeatures", Text.of("图层要素", "the features of a layer"),
                itemsParameters, ok(GEOJSON, ref("featureCollectionGeoJSON")), badRequest(), notFound()));
        paths.put("/collections/{collectionId}/items/{featureId}", get("getFeature", Text.of("单个要素", "one feature"),
                List.of(param("collectionId"), param("featureId")), ok(GEOJSON, ref("featureGeoJSON")), notFound()));
        for (LayerDefinition layer : registry.all()) {
            List<Object> parameters = new ArrayList<>(queryParameters());
            layer.fields().forEach(f -> parameters.add(fieldParameter(f)));
            paths.put("/collections/" + layer.id() + "/items", get("getFeatures_" + layer.id(),
                    Text.of(layer.zh(), layer.en()), parameters, ok(GEOJSON, ref("featureCollectionGeoJSON")),
                    badRequest()));
        }
        doc.put("paths", paths);
        doc.put("components", map("parameters", parameters(), "schemas", schemas()));
        return doc;
    }

    /** The properties of {@code layer} clients may filter on, as a JSON Schema (OGC API - Features Part 3). */
    Map<String, Object> queryables(LayerDefinition layer, String self) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (LayerField field : layer.fields()) {
            Map<String, Object> p = new LinkedHashMap<>(schemaOf(field));
            p.put("title", Language.of(Text.of(field.zh(), field.en())));
            properties.put(field.name(), p);
        }
        return map("$schema", "https://json-schema.org/draft/2019-09/schema", "$id", self, "type", "object",
                "title", Language.of(Text.of(layer.zh(), layer.en())), "properties", properties,
                "additionalProperties", false);
    }

    private List<Object> queryParameters() {
        return List.of(ref("parameters", "limit"), ref("parameters", "bbox"), ref("parameters", "datetime"),
                ref("parameters", "cursor"));
    }

    private Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("collectionId", map("name", "collectionId", "in", "path", "required", true,
                "description", Language.of(Text.of("图层标识", "layer id")), "schema", map("type", "string",
                        "enum", registry.all().stream().map(LayerDefinition::id).toList())));
        p.put("featureId", map("name", "featureId", "in", "path", "required", true,
                "description", Language.of(Text.of("要素标识", "feature id")), "schema", map("type", "string")));
        p.put("limit", map("name", "limit", "in", "query", "required", false, "style", "form", "explode", false,
                "description", "The optional limit parameter limits the number of items that are presented in the "
                        + "response document. Only items are counted that are on the first level of the collection "
                        + "in the response document. Nested objects contained within the explicitly requested items "
                        + "shall not be counted. A value above the maximum is read as the maximum.",
                "schema", map("type", "integer", "minimum", 1, "maximum", ItemsRequest.MAX_LIMIT,
                        "default", ItemsRequest.DEFAULT_LIMIT)));
        p.put("bbox", map("name", "bbox", "in", "query", "required", false, "style", "form", "explode", false,
                "description", "Only features that have a geometry that intersects the bounding box are selected: "
                        + "lower left and upper right corner (west, south, east, north) in CRS84; 6 numbers when "
                        + "heights are given. A west edge east of the east edge crosses the antimeridian.",
                "schema", map("type", "array", "minItems", 4, "maxItems", 6, "items", map("type", "number"))));
        p.put("datetime", map("name", "datetime", "in", "query", "required", false, "style", "form",
                "explode", false, "description", "An instant or an interval (RFC 3339). The layers have no time "
                        + "of their own: every feature matches.", "schema", map("type", "string")));
        p.put("cursor", map("name", "cursor", "in", "query", "required", false, "style", "form",
                "explode", false, "description", "Where a page starts, as the next and prev links give it.",
                "schema", map("type", "string", "pattern", "^[ab][0-9]{1,18}$")));
        return p;
    }

    private static Map<String, Object> fieldParameter(LayerField field) {
        return map("name", field.name(), "in", "query", "required", false, "style", "form", "explode", false,
                "description", Language.of(field.type() == FieldType.KEY_UNITS
                        ? Text.of(field.zh() + "（列表中含该值的要素）", field.en() + " (features whose list holds the value)")
                        : Text.of(field.zh() + "（等于）", field.en() + " (equal to)")),
                "schema", schemaOf(field));
    }

    private static Map<String, Object> schemaOf(LayerField field) {
        if (field.type() == FieldType.NUMBER) {
            return map("type", "number");
        }
        List<String> values = field.values().keySet().stream().filter(v -> !v.isEmpty()).toList();
        return values.isEmpty() ? map("type", "string") : map("type", "string", "enum", values);
    }

    private static Map<String, Object> schemas() {
        Map<String, Object> link = map("type", "object", "required", List.of("href"), "properties", map(
                "href", map("type", "string"), "rel", map("type", "string"), "type", map("type", "string"),
                "title", map("type", "string")));
        Map<String, Object> links = map("type", "array", "items", ref("link"));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("link", link);
        s.put("landingPage", map("type", "object", "required", List.of("links"), "properties", map(
                "title", map("type", "string"), "description", map("type", "string"), "links", links)));
        s.put("confClasses", map("type", "object", "required", List.of("conformsTo"), "properties", map(
                "conformsTo", map("type", "array", "items", map("type", "string")))));
        s.put("collection", map("type", "object", "required", List.of("id", "links"), "properties", map(
                "id", map("type", "string"), "title", map("type", "string"), "description", map("type", "string"),
                "links", links, "extent", map("type", "object"), "itemType", map("type", "string"),
                "crs", map("type", "array", "items", map("type", "string")))));
        s.put("collections", map("type", "object", "required", List.of("links", "collections"), "properties", map(
                "links", links, "collections", map("type", "array", "items", ref("collection")))));
        s.put("featureGeoJSON", map("type", "object", "required", List.of("type", "geometry", "properties"),
                "properties", map("type", map("type", "string", "enum", List.of("Feature")),
                        "geometry", map("type", "object", "nullable", true),
                        "properties", map("type", "object", "nullable", true),
                        "id", map("oneOf", List.of(map("type", "string"), map("type", "integer"))),
                        "links", links)));
        s.put("featureCollectionGeoJSON", map("type", "object", "required", List.of("type", "features"),
                "properties", map("type", map("type", "string", "enum", List.of("FeatureCollection")),
                        "features", map("type", "array", "items", ref("featureGeoJSON")), "links", links,
                        "timeStamp", map("type", "string", "format", "date-time"),
                        "numberMatched", map("type", "integer", "minimum", 0),
                        "numberReturned", map("type", "integer", "minimum", 0))));
        s.put("exception", map("type", "object", "required", List.of("error"), "properties", map(
                "error", map("type", "string"), "detail", map("type", "object", "properties", map(
                        "zh", map("type", "string"), "en", map("type", "string"))), "where", map("type", "string"))));
        return s;
    }

    @SafeVarargs
    private static Map<String, Object> get(String operationId, Text summary, List<Object> parameters,
                                           Map.Entry<String, Object>... responses) {
        Map<String, Object> r = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : responses) {
            r.put(e.getKey(), e.getValue());
        }
        Map<String, Object> operation = map("operationId", operationId, "summary", Language.of(summary));
        if (!parameters.isEmpty()) {
            operation.put("parameters", parameters);
        }
        operation.put("responses", r);
        return map("get", operation);
    }

    private static Map.Entry<String, Object> ok(String mediaType, Map<String, Object> schema) {
        return Map.entry("200", map("description", "OK", "content", map(mediaType, map("schema", schema))));
    }

    private static Map.Entry<String, Object> badRequest() {
        return Map.entry("400", map("description", Language.of(Text.of("查询参数未知或格式错误",
                "a query parameter that is unknown or malformed")), "content", map(JSON, map("schema", ref("exception")))));
    }

    private static Map.Entry<String, Object> notFound() {
        return Map.entry("404", map("description", Language.of(Text.of("图层或要素不存在", "no such layer or feature")), "content",
                map(JSON, map("schema", ref("exception")))));
    }

    private static Map<String, Object> param(String name) {
        return ref("parameters", name);
    }

    private static Map<String, Object> ref(String schema) {
        return ref("schemas", schema);
    }

    private static Map<String, Object> ref(String kind, String name) {
        return map("$ref", "#/components/" + kind + "/" + name);
    }

    /** An ordered map of alternating keys and values. */
    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
