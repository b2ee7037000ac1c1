package cn.pollumap.ingest;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Faults;
import cn.pollumap.platform.Gdal;
import cn.pollumap.platform.Text;

/**
 * Reads an upload with ogr2ogr into a staging table, reprojected to EPSG:4490. GDAL gets an argument list, the
 * password through PGPASSWORD, and only paths inside the import's own folder.
 */
@Component
class Staging {

    private static final Pattern LAYER_LINE = Pattern.compile("^\\d+: (.+?)(?: \\([^()]*\\))?$");

    private final Gdal gdal;
    private final JdbcClient jdbc;
    private final DataSourceProperties dataSource;

    Staging(Gdal gdal, JdbcClient jdbc, DataSourceProperties dataSource) {
        this.gdal = gdal;
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * The source layer to name to ogr2ogr: null when the file has only one (so no layer name, which may be
     * non-ASCII, goes on the command line), else the one the user named.
     */
    String chooseLayer(SourceDataset source, String requested) {
        Gdal.Run run = gdal.ogrinfo(List.of("-ro", "-q", source.gdalPath()));
        if (!run.ok()) {
            throw failure(run);
        }
        List<String> layers = run.stdout().lines().map(LAYER_LINE::matcher).filter(Matcher::matches)
                .map(m -> m.group(1)).toList();
        if (layers.isEmpty()) {
            throw ApiException.unprocessable("empty_layer", Text.of("文件中没有图层", "the file holds no layer"), "file");
        }
        if (requested != null) {
            if (!layers.contains(requested)) {
                throw ApiException.badRequest("unknown_source_layer", Text.of("文件中没有图层 " + Text.quoted(requested)
                        + "，其中的图层：" + Text.quoted(layers), "no layer " + Text.quoted(requested)
                        + " in the file; layers: " + Text.quoted(layers)), "sourceLayer");
            }
            return requested;
        }
        if (layers.size() > 1) {
            throw ApiException.unprocessable("several_layers", Text.of("文件中有多个图层，请用 sourceLayer 指定："
                    + Text.quoted(layers), "the file holds several layers, name one with sourceLayer: "
                    + Text.quoted(layers)), "sourceLayer");
        }
        return null;
    }

    /**
     * Loads the source layer into {@code staging.<table>}. A file GDAL cannot parse is refused with GDAL's own error
     * text; GDAL crashing or running too long, the database going away or the disk filling up are the server's
     * faults and say so. The caller's workspace drops what a failed run left. Staging tables are unlogged: scratch
     * rows that a crash may lose (the import then fails) need no write-ahead log.
     */
    void load(SourceDataset source, String sourceLayer, SourceCrs.Found crs, String table) {
        List<String> args = new ArrayList<>(List.of("-f", "PostgreSQL", connectionString(), source.gdalPath()));
        if (sourceLayer != null) {
            args.add(sourceLayer);
        }
        args.addAll(List.of("-nln", "staging." + table,
                "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=src_fid", "-lco", "LAUNDER=NO", "-lco", "PRECISION=NO",
                "-lco", "SPATIAL_INDEX=NONE", "-lco", "UNLOGGED=YES", "-nlt", "GEOMETRY", "-dim", "XY", "-preserve_fid",
                "-t_srs", "EPSG:4490", "--config", "PG_USE_COPY", "YES",
                // LIBKML would turn Chinese ExtendedData names into underscores
                "--config", "LIBKML_LAUNDER_FIELD_NAMES", "NO"));
        if (crs.sourceSrs() != null) {
            args.addAll(List.of("-s_srs", crs.sourceSrs()));
        }
        if (source.encoding() != null) {
            args.addAll(List.of("-oo", "ENCODING=" + source.encoding().encoding().gdalName()));
        }
        Gdal.Run run = gdal.ogr2ogr(args, Map.of("PGPASSWORD", nullToEmpty(dataSource.determinePassword())), null);
        if (!run.ok()) {
            throw failure(run);
        }
        if (!exists(table)) {
            throw ApiException.unprocessable("empty_layer", Text.of("文件中没有要素", "the file holds no features"), "file");
        }
    }

    void drop(String table) {
        jdbc.sql("DROP TABLE IF EXISTS staging.\"" + table + "\"").update();
    }

    private boolean exists(String table) {
        return jdbc.sql("SELECT to_regclass(:name) IS NOT NULL").param("name", "staging.\"" + table + "\"")
                .query(Boolean.class).single();
    }

    /** Who must act on a GDAL run that failed: the administrator (disk, database) or the user (the file). */
    private static ApiException failure(Gdal.Run run) {
        if (Faults.saysDiskFull(run.stderr())) {
            return Faults.diskFull();
        }
        if (Faults.saysDatabaseUnavailable(run.stderr())) {
            return Faults.databaseUnavailable();
        }
        return unreadable(run);
    }

    private static ApiException unreadable(Gdal.Run run) {
        String message = run.stderr().lines().filter(l -> l.startsWith("ERROR") || l.startsWith("FAILURE"))
                .findFirst().orElse(run.stderr().lines().findFirst().orElse("exit code " + run.exitCode()));
        // GDAL names server paths; keep only the message itself
        message = message.replaceAll("/vsizip/\\S*|/\\S*/imports/\\S*", "<upload>");
        return ApiException.unprocessable("unreadable_file", Text.of("GDAL 无法读取该文件：" + message,
                "GDAL cannot read the file: " + message), "file");
    }

    /** The libpq connection string for GDAL, from the server's own JDBC URL; no password in it. */
    private String connectionString() {
        String url = dataSource.determineUrl();
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException("the datasource URL is not a PostgreSQL JDBC URL: " + url);
        }
        URI uri = URI.create(url.substring("jdbc:".length()));
        String host = uri.getHost() == null ? "localhost" : uri.getHost();
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String database = uri.getPath().replaceFirst("^/", "");
        StringBuilder pg = new StringBuilder("PG:");
        pg.append("dbname=").append(quote(database)).append(" host=").append(quote(host))
                .append(" port=").append(port).append(" user=").append(quote(dataSource.determineUsername()));
        if (uri.getQuery() != null) {
            for (String param : uri.getQuery().split("&")) {
                if (param.startsWith("sslmode=")) {
                    pg.append(" sslmode=").append(quote(param.substring("sslmode=".length())));
                }
            }
        }
        return pg.toString();
    }

    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
