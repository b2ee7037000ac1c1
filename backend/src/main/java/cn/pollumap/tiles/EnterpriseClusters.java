package cn.pollumap.tiles;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.pollumap.PolluMapProperties;
import cn.pollumap.industry.EnterpriseSymbols;
import cn.pollumap.violation.ViolationsRecomputed;

/**
 * The enterprises counted per cell of the tiles, zoom by zoom, for the tiles that hold more of them than a map
 * draws one by one: counting a province's million firms for each tile asked would take seconds a tile. The cells
 * of the deepest such zoom are counted from the enterprises, each coarser zoom from the one below (four cells make
 * one); made again after each violation recompute, whose breaches they count.
 */
@Component
class EnterpriseClusters {

    private static final Logger log = LoggerFactory.getLogger(EnterpriseClusters.class);
    /** Half the width of the world in EPSG:3857 metres. */
    static final double HALF_WORLD = 20037508.342789244;

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final EnterpriseSymbols symbols;
    private final PolluMapProperties.Tiles settings;

    EnterpriseClusters(JdbcClient jdbc, TransactionTemplate transaction, EnterpriseSymbols symbols,
                       PolluMapProperties properties) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.symbols = symbols;
        this.settings = properties.tiles();
    }

    /** How many cells a tile has across (and down): a cell is about the setting's pixels of a 256-pixel tile. */
    int cells() {
        return Math.max(1, (int) Math.round(256.0 / settings.clusterCellPixels()));
    }

    @EventListener
    void recomputed(ViolationsRecomputed event) {
        long started = System.nanoTime();
        int made = transaction.execute(status -> rebuild());
        log.info("enterprise clusters: {} cells over zooms 0–{}, made in {} ms", made, settings.clusterBelowZoom() - 1,
                (System.nanoTime() - started) / 1_000_000);
    }

    private int rebuild() {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('pollumap.enterprise_clusters'))").query().singleRow();
        jdbc.sql("SET LOCAL jit = off").update();
        jdbc.sql("DELETE FROM enterprise_cluster").update();
        int deepest = settings.clusterBelowZoom() - 1;
        int made = 0;
        if (deepest >= 0) {
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("z", deepest);
            params.put("half", HALF_WORLD);
            params.put("scale", cells() * Math.pow(2, deepest) / (2 * HALF_WORLD));
            made += jdbc.sql("""
                            INSERT INTO enterprise_cluster (z, cx, cy, n, breaches, symbol, mx, my)
                            SELECT :z, floor((p.mx + :half) * :scale), floor((:half - p.my) * :scale), count(*),
                                   count(*) FILTER (WHERE p.breach), mode() WITHIN GROUP (ORDER BY p.symbol),
                                   avg(p.mx), avg(p.my)
                            FROM (SELECT ST_X(e.g) AS mx, ST_Y(e.g) AS my, %s AS symbol,
                                         EXISTS (SELECT 1 FROM violation v
                                                 WHERE v.enterprise_id = e.id AND v.binding = 'EXISTING') AS breach
                                  FROM (SELECT id, industry_code, ST_Transform(geom, 3857) AS g FROM public.enterprises) e) p
                            GROUP BY 2, 3""".formatted(symbols.sql("e.industry_code", params)))
                    .params(params).update();
            for (int z = deepest - 1; z >= 0; z--) {
                // four cells make one; the symbol of the largest
                made += jdbc.sql("""
                                INSERT INTO enterprise_cluster (z, cx, cy, n, breaches, symbol, mx, my)
                                SELECT :z, cx / 2, cy / 2, sum(n), sum(breaches), (array_agg(symbol ORDER BY n DESC))[1],
                                       sum(mx * n) / sum(n), sum(my * n) / sum(n)
                                FROM enterprise_cluster WHERE z = :z + 1 GROUP BY 2, 3""")
                        .param("z", z).update();
            }
        }
        jdbc.sql("""
                        INSERT INTO enterprise_cluster_run (id, built_at, cells) VALUES (1, clock_timestamp(), :cells)
                        ON CONFLICT (id) DO UPDATE SET built_at = excluded.built_at, cells = excluded.cells""")
                .param("cells", cells()).update();
        return made;
    }
}
