package cn.pollumap.ogcapi;

import java.io.IOException;
import java.io.Writer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import cn.pollumap.layer.LayerCatalog;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Language;
import cn.pollumap.platform.Text;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import static cn.pollumap.ogcapi.OpenApiDocument.map;

/**
 * OGC API - Features, Part 1 (Core, GeoJSON, OpenAPI 3.0), over the layers, so that QGIS, GDAL and other clients
 * read them directly: {@code /ogc} (landing page), {@code /ogc/api} (the API definition), {@code /ogc/conformance},
 * {@code /ogc/collections[/{id}[/queryables | /items[/{featureId}]]]}.
 */
@Controller
class FeaturesController {

    private static final String GEOJSON = "application/geo+json";
    private static final String JSON = MediaType.APPLICATION_JSON_VALUE;
    private static final String CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
    private static final List<String> CONFORMANCE = List.of(
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
            "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30");
    private static final Text COLLECTIONS = Text.of("图层", "collections");
    /** Served coordinates have 7 decimals: extents are widened to that grid so that every one lies inside. */
    private static final double GRID = 1e7;

    private final LayerRegistry registry;
    private final LayerCatalog catalog;
    private final FeatureQueries features;
    private final OpenApiDocument api;
    private final JsonMapper json;

    FeaturesController(LayerRegistry registry, LayerCatalog catalog, FeatureQueries features, OpenApiDocument api,
                       JsonMapper json) {
        this.registry = registry;
        this.catalog = catalog;
        this.features = features;
        this.api = api;
        this.json = json;
    }

    @GetMapping(value = {"/ogc", "/ogc/"}, produces = JSON)
    @ResponseBody
    Map<String, Object> landing(HttpServletRequest request) {
        noQuery(request);
        String root = root();
        return map("title", Language.of(Text.of("污染源一张图", "PolluMap")),
                "description", Language.of(OpenApiDocument.DESCRIPTION),
                "links", List.of(
                        link(root, "self", JSON, Text.of("本页", "this document")),
                        link(root + "/api", "service-desc", OpenApiDocument.MEDIA_TYPE, Text.of("接口定义", "API definition")),
                        link(root + "/api.html", "service-doc", "text/html", Text.of("接口说明", "API documentation")),
                        link(root + "/conformance", "conformance", JSON, Text.of("符合的标准类", "conformance classes")),
                        link(root + "/collections", "data", JSON, COLLECTIONS)));
    }

    @GetMapping(value = "/ogc/api", produces = {OpenApiDocument.MEDIA_TYPE, JSON})
    @ResponseBody
    Map<String, Object> apiDefinition(HttpServletRequest request) {
        noQuery(request);
        return api.build(root());
    }

    @GetMapping(value = "/ogc/api.html", produces = MediaType.TEXT_HTML_VALUE)
    String apiDocumentation(Model model) {
        model.addAttribute("root", root());
        model.addAttribute("layers", registry.all());
        return "ogc-api";
    }

    @GetMapping(value = "/ogc/conformance", produces = JSON)
    @ResponseBody
    Map<String, Object> conformance(HttpServletRequest request) {
        noQuery(request);
        return map("conformsTo", CONFORMANCE);
    }

    @GetMapping(value = "/ogc/collections", produces = JSON)
    @ResponseBody
    Map<String, Object> collections(HttpServletRequest request) {
        noQuery(request);
        List<Map<String, Object>> list = catalog.describeAll().stream().map(this::collection).toList();
        return map("links", List.of(link(root() + "/collections", "self", JSON, COLLECTIONS)),
                "collections", list);
    }

    @GetMapping(value = "/ogc/collections/{id}", produces = JSON)
    @ResponseBody
    Map<String, Object> collection(@PathVariable("id") String id, HttpServletRequest request) {
        noQuery(request);
        return collection(catalog.describe(layer(id).id()));
    }

    @GetMapping(value = "/ogc/collections/{id}/queryables", produces = {"application/schema+json", JSON})
    @ResponseBody
    Map<String, Object> queryables(@PathVariable("id") String id, HttpServletRequest request) {
        noQuery(request);
        return api.queryables(layer(id), root() + "/collections/" + id + "/queryables");
    }

    /**
     * A page of features, written as the database streams it. The count and the checks come first, so that a
     * refusal or an unavailable database is still answered as such before anything is written.
     */
    @GetMapping(value = "/ogc/collections/{id}/items", produces = {GEOJSON, JSON})
    void items(@PathVariable("id") String id, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        LayerDefinition layer = layer(id);
        ItemsRequest query = ItemsRequest.parse(layer, request.getParameterMap());
        long matched = features.count(layer, query);
        response.setContentType(GEOJSON);
        response.setCharacterEncoding("UTF-8");
        Writer out = response.getWriter();
        out.write("{\"type\":\"FeatureCollection\",\"features\":[");
        FeatureQueries.Page page = features.write(layer, query, out);
        List<Map<String, Object>> links = new ArrayList<>();
        links.add(link(self(), "self", GEOJSON, Text.of("本页", "this page")));
        if (page.more()) {
            links.add(link(withCursor(new ItemsRequest.Cursor(true, page.lastId())), "next", GEOJSON,
                    Text.of("下一页", "next page")));
        }
        if (page.earlier()) {
            links.add(link(withCursor(new ItemsRequest.Cursor(false, page.firstId())), "prev", GEOJSON,
                    Text.of("上一页", "previous page")));
        }
        links.add(link(root() + "/collections/" + id, "collection", JSON, Text.of(layer.zh(), layer.en())));
        String rest = json.writeValueAsString(map("numberMatched", matched, "numberReturned", page.returned(),
                "timeStamp", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(), "links", links));
        out.write("],");
        out.write(rest, 1, rest.length() - 1);
    }

    @GetMapping(value = "/ogc/collections/{id}/items/{featureId}", produces = {GEOJSON, JSON})
    void item(@PathVariable("id") String id, @PathVariable("featureId") String featureId, HttpServletRequest request,
              HttpServletResponse response) throws IOException {
        LayerDefinition layer = layer(id);
        noQuery(request);
        String feature = (featureId.matches("\\d{1,18}") ? features.item(layer, Long.parseLong(featureId))
                : java.util.Optional.<String>empty()).orElseThrow(() -> ApiException.notFound(Text.of(
                "图层 " + id + " 没有要素 " + Text.quoted(featureId), "layer " + id + " has no feature "
                        + Text.quoted(featureId))));
        String links = json.writeValueAsString(map("links", List.of(
                link(self(), "self", GEOJSON, Text.of("本要素", "this feature")),
                link(root() + "/collections/" + id, "collection", JSON, Text.of(layer.zh(), layer.en())))));
        response.setContentType(GEOJSON);
        response.setCharacterEncoding("UTF-8");
        Writer out = response.getWriter();
        out.write(feature, 0, feature.length() - 1);
        out.write(',');
        out.write(links, 1, links.length() - 1);
    }

    /** A collection from a layer as {@link LayerCatalog} describes it (id, titles, extent). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> collection(Map<String, Object> described) {
        String id = (String) described.get("id");
        Map<String, String> titles = (Map<String, String>) described.get("title");
        Text title = Text.of(titles.get("zh"), titles.get("en"));
        String href = root() + "/collections/" + id;
        Map<String, Object> c = map("id", id, "title", Language.of(title),
                "description", Language.of(Text.of(title.zh() + "（" + described.get("count") + " 个要素）",
                        title.en() + " (" + described.get("count") + " features)")),
                "itemType", "feature", "crs", List.of(CRS84));
        List<Number> extent = (List<Number>) described.get("extent");
        if (extent != null) {
            List<Double> widened = List.of(Math.floor(extent.get(0).doubleValue() * GRID) / GRID,
                    Math.floor(extent.get(1).doubleValue() * GRID) / GRID,
                    Math.ceil(extent.get(2).doubleValue() * GRID) / GRID,
                    Math.ceil(extent.get(3).doubleValue() * GRID) / GRID);
            c.put("extent", map("spatial", map("bbox", List.of(widened), "crs", CRS84)));
        }
        c.put("links", List.of(link(href, "self", JSON, title),
                link(href + "/items", "items", GEOJSON, title),
                link(href + "/queryables", "http://www.opengis.net/def/rel/ogc/1.0/queryables", "application/schema+json",
                        Text.of("可筛选字段", "queryables"))));
        return c;
    }

    /** The layer {@code id}; an unknown one is a resource that does not exist (404), as the standard asks. */
    private LayerDefinition layer(String id) {
        return registry.find(id).orElseThrow(() -> ApiException.notFound(Text.of("没有图层 " + Text.quoted(id),
                "no layer " + Text.quoted(id))));
    }

    /** These resources take no parameters but {@code f=json}: any other is refused, as the standard asks. */
    private static void noQuery(HttpServletRequest request) {
        for (Map.Entry<String, String[]> p : request.getParameterMap().entrySet()) {
            if (!p.getKey().equals("f") || !"json".equals(p.getValue()[0])) {
                throw ApiException.badRequest("bad_parameter", Text.of("未知的查询参数 " + Text.quoted(p.getKey()),
                        "unknown query parameter " + Text.quoted(p.getKey())), p.getKey());
            }
        }
    }

    private static Map<String, Object> link(String href, String rel, String type, Text title) {
        return map("href", href, "rel", rel, "type", type, "title", Language.of(title));
    }

    private static String root() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/ogc").build().toUriString();
    }

    private static String self() {
        return ServletUriComponentsBuilder.fromCurrentRequest().build().toUriString();
    }

    private static String withCursor(ItemsRequest.Cursor cursor) {
        return ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("cursor", cursor.value()).build()
                .toUriString();
    }
}
