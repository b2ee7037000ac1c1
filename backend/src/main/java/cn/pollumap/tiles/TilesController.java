package cn.pollumap.tiles;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import cn.pollumap.layer.FieldType;
import cn.pollumap.layer.LayerCatalog;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Language;
import cn.pollumap.platform.Text;

/**
 * The layers as tiles: {@code /tiles/{layer}/{z}/{x}/{y}.mvt} (Mapbox Vector Tiles, for QGIS and other clients;
 * TileJSON at {@code /tiles/{layer}.json}) and {@code .geojson} (the same tile for the map). Each answer carries
 * an ETag of the layer's data version: a client that has the tile gets 304 without the tile being made again.
 */
@RestController
class TilesController {

    private static final MediaType MVT = MediaType.parseMediaType("application/vnd.mapbox-vector-tile");
    private static final MediaType GEOJSON = MediaType.parseMediaType("application/geo+json");
    private static final int MAX_ZOOM = 22;
    /** Kept, but asked again each time: the ETag makes asking cheap, and an import shows at once. */
    private static final CacheControl CACHE = CacheControl.noCache().cachePrivate();

    private final LayerRegistry registry;
    private final LayerCatalog catalog;
    private final LayerTiles tiles;

    TilesController(LayerRegistry registry, LayerCatalog catalog, LayerTiles tiles) {
        this.registry = registry;
        this.catalog = catalog;
        this.tiles = tiles;
    }

    @GetMapping("/tiles/{layer}/{z}/{x}/{y}.mvt")
    ResponseEntity<byte[]> mvt(@PathVariable("layer") String id, @PathVariable("z") String z, @PathVariable("x") String x,
                               @PathVariable("y") String y,
                               @RequestHeader(name = "If-None-Match", required = false) String known) {
        return answer(id, tile(z, x, y), "mvt", known, MVT, tiles::mvt);
    }

    @GetMapping("/tiles/{layer}/{z}/{x}/{y}.geojson")
    ResponseEntity<byte[]> geojson(@PathVariable("layer") String id, @PathVariable("z") String z,
                                   @PathVariable("x") String x, @PathVariable("y") String y,
                                   @RequestHeader(name = "If-None-Match", required = false) String known) {
        return answer(id, tile(z, x, y), "geojson", known, GEOJSON,
                (layer, zoom, col, row) -> tiles.geojson(layer, zoom, col, row).getBytes(StandardCharsets.UTF_8));
    }

    /** How a tile is made, in one format. */
    private interface Maker {
        byte[] make(LayerDefinition layer, int z, int x, int y);
    }

    /**
     * A tile, or 304 when the client has this version of it: the ETag is the same for every tile of a layer's data
     * version (the URL tells the tiles apart). An empty vector tile is no content: nothing to decode or draw.
     */
    private ResponseEntity<byte[]> answer(String id, int[] tile, String format, String known, MediaType type, Maker maker) {
        LayerDefinition layer = layer(id);
        String etag = "\"" + layer.id() + "-" + tiles.version(layer) + "-" + format + "\"";
        if (etag.equals(known)) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(CACHE).build();
        }
        byte[] body = maker.make(layer, tile[0], tile[1], tile[2]);
        return body.length == 0 ? ResponseEntity.noContent().eTag(etag).cacheControl(CACHE).build()
                : ResponseEntity.ok().contentType(type).eTag(etag).cacheControl(CACHE).body(body);
    }

    /** TileJSON 3.0.0 of a layer's vector tiles, with its fields and extent. */
    @GetMapping("/tiles/{layer}.json")
    Map<String, Object> tileJson(@PathVariable("layer") String id) {
        LayerDefinition layer = layer(id);
        Map<String, Object> described = catalog.describe(layer.id());
        Map<String, String> fields = new LinkedHashMap<>();
        layer.fields().forEach(f -> fields.put(f.name(), Language.of(f.type() == FieldType.KEY_UNITS
                ? Text.of(f.zh() + "（逗号分隔）", f.en() + " (comma-separated)") : Text.of(f.zh(), f.en()))));
        if (layer.id().equals("enterprises")) {
            fields.put("symbol", Language.of(Text.of("地图符号（coke、chem、steel、nonferrous、kiln、mining、power、"
                    + "livestock、other）", "map symbol (coke, chem, steel, nonferrous, kiln, mining, power, livestock, other)")));
            fields.put("breach", Language.of(Text.of("违反约束现有企业的规定", "breaches a rule that binds existing enterprises")));
            fields.put("count", Language.of(Text.of("聚合点内企业数（低缩放级别）", "enterprises in a cluster (low zooms)")));
            fields.put("breaches", Language.of(Text.of("聚合点内违规企业数", "of which breach a rule")));
        }
        fields.put("flagged", Language.of(Text.of("有数据质量问题", "has a data-quality flag")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tilejson", "3.0.0");
        body.put("name", Language.of(Text.of(layer.zh(), layer.en())));
        body.put("scheme", "xyz");
        body.put("tiles", List.of(ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString() + "/tiles/"
                + layer.id() + "/{z}/{x}/{y}.mvt"));
        body.put("minzoom", 0);
        body.put("maxzoom", MAX_ZOOM);
        if (described.get("extent") != null) {
            body.put("bounds", described.get("extent"));
        }
        body.put("vector_layers", List.of(Map.of("id", layer.id(), "fields", fields, "minzoom", 0, "maxzoom", MAX_ZOOM)));
        return body;
    }

    private LayerDefinition layer(String id) {
        return registry.find(id).orElseThrow(() -> ApiException.notFound(Text.of("没有图层 " + Text.quoted(id),
                "no layer " + Text.quoted(id))));
    }

    /** z, x and y of a tile that exists; anything else is no tile (404). */
    private static int[] tile(String z, String x, String y) {
        if (z.matches("\\d{1,2}") && x.matches("\\d{1,7}") && y.matches("\\d{1,7}")) {
            int zoom = Integer.parseInt(z);
            int n = zoom <= MAX_ZOOM ? 1 << zoom : 0;
            int col = Integer.parseInt(x);
            int row = Integer.parseInt(y);
            if (col < n && row < n) {
                return new int[] {zoom, col, row};
            }
        }
        throw ApiException.notFound(Text.of("没有瓦片 " + z + "/" + x + "/" + y, "no tile " + z + "/" + x + "/" + y));
    }
}
