package cn.pollumap.platform;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Checks, before Flyway touches the database, that PostGIS is there (creating the extension when the role may)
 * and that ogr2ogr runs. A missing piece stops the start with a message naming it and how to install it.
 */
@Component
public class PlatformCheck implements FlywayMigrationStrategy {

    private static final Logger log = LoggerFactory.getLogger(PlatformCheck.class);

    private final JdbcClient jdbc;
    private final Gdal gdal;
    private final PlatformVersions versions;

    public PlatformCheck(DataSource dataSource, Gdal gdal, PlatformVersions versions) {
        this.jdbc = JdbcClient.create(dataSource);
        this.gdal = gdal;
        this.versions = versions;
    }

    @Override
    public void migrate(Flyway flyway) {
        String postgis = ensurePostgis();
        String gdalVersion = checkGdal();
        String postgres = jdbc.sql("SHOW server_version").query(String.class).single();
        versions.set(postgres, postgis, gdalVersion);
        log.info("PostgreSQL {}, PostGIS {}, {}", postgres, postgis, gdalVersion);
        flyway.migrate();
    }

    private String ensurePostgis() {
        String installed = postgisVersion();
        if (installed != null) {
            return installed;
        }
        boolean packageThere = jdbc.sql("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'")
                .query(Integer.class).single() > 0;
        String database = jdbc.sql("SELECT current_database()").query(String.class).single();
        if (!packageThere) {
            throw new PlatformProblem("PostGIS is not installed on the database server (database \"" + database + "\").",
                    "Install the PostGIS package on the database server, e.g. 'apt-get install postgresql-15-postgis-3', "
                            + "or run bin/postgis to get a local PostGIS.");
        }
        try {
            jdbc.sql("CREATE EXTENSION IF NOT EXISTS postgis").update();
        } catch (DataAccessException e) {
            throw new PlatformProblem("The PostGIS extension is missing in database \"" + database
                    + "\" and this role may not create it (" + rootMessage(e) + ").",
                    "As a superuser, run: psql -d " + database + " -c 'CREATE EXTENSION postgis;'");
        }
        return postgisVersion();
    }

    private String postgisVersion() {
        return jdbc.sql("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
                .query(String.class).optional().orElse(null);
    }

    private String checkGdal() {
        try {
            return gdal.version();
        } catch (Gdal.ToolFailure e) {
            throw new PlatformProblem("GDAL's ogr2ogr does not run: " + e.getMessage(),
                    "Install GDAL: 'apt-get install gdal-bin' (or set POLLUMAP_OGR2OGR to the ogr2ogr program).");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
