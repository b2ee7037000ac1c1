package cn.pollumap.ingest;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.Gdal;
import cn.pollumap.platform.Text;

/**
 * The coordinate system of an upload: the user's {@code srid}, else what GDAL reads from the file (.prj, GeoJSON
 * crs, GeoPackage srs). A .prj carries no EPSG code; GDAL matches it by parameters.
 */
@Component
class SourceCrs {

    /** What was found: EPSG code when GDAL could match one, the CRS name, the -s_srs to give ogr2ogr, warnings. */
    record Found(Integer srid, String name, String sourceSrs, List<Text> warnings) {
    }

    private static final Pattern EPSG = Pattern.compile("EPSG:(\\d+)");
    private static final Pattern NAME = Pattern.compile("^[A-Z_]+\\[\"([^\"]*)\"");
    private static final String DATUM_WARNING_ZH = "源坐标系为%s，本机 PROJ 无该基准到 CGCS2000 的转换参数：坐标按原值使用，"
            + "未做基准面改正（偏差可达数十米至上百米）；如需精确转换，请先用七参数转换为 CGCS2000 后再上传";
    private static final String DATUM_WARNING_EN = "the source datum is %s and this machine's PROJ has no transformation "
            + "to CGCS2000: coordinates were taken unchanged, without datum correction (errors of tens to over a hundred "
            + "metres); convert with 7-parameter (Bursa-Wolf) values first where accuracy matters";

    private final Gdal gdal;

    SourceCrs(Gdal gdal) {
        this.gdal = gdal;
    }

    Found find(SourceDataset source, Integer srid) {
        if (srid != null) {
            String wkt = wkt("EPSG:" + srid).orElseThrow(() -> ApiException.badRequest("unknown_srid", Text.of(
                    "未知的坐标系代码 " + srid + "（请给出 EPSG 代码，如 CGCS2000 3度带高斯-克吕格 中央经线111°E 为 4546）",
                    "unknown srid " + srid + " (give an EPSG code, e.g. 4546 for CGCS2000 3-degree GK CM 111E)"), "srid"));
            return new Found(srid, name(wkt), "EPSG:" + srid, datumWarnings(wkt));
        }
        if (source.format() == SourceDataset.Format.SHAPEFILE && !source.hasPrj()) {
            throw ApiException.unprocessable("missing_prj", Text.of("缺少 .prj 坐标系文件，且未指定 srid：请将 .prj "
                    + "放入压缩包，或指定 srid（如 CGCS2000 3度带高斯-克吕格 中央经线111°E 为 4546，CGCS2000 经纬度为 4490）",
                    "the shapefile has no .prj and no srid was given: add the .prj to the zip, or give srid (e.g. 4546 "
                    + "for CGCS2000 3-degree Gauss-Krüger CM 111E, 4490 for CGCS2000 lon/lat)"), "file");
        }
        String wkt = wkt(source.gdalPath()).orElseThrow(() -> ApiException.unprocessable("unknown_crs", Text.of(
                "无法识别文件的坐标系（.prj），请指定 srid",
                "GDAL cannot read the file's coordinate system (.prj); give srid explicitly"), "file"));
        Gdal.Run epsg = gdal.gdalsrsinfo(List.of("-o", "epsg", source.gdalPath()));
        Matcher m = EPSG.matcher(epsg.stdout());
        Integer code = epsg.ok() && m.find() ? Integer.valueOf(m.group(1)) : null;
        // Without an EPSG match GDAL still reprojects from the file's own definition.
        return new Found(code, name(wkt), null, datumWarnings(wkt));
    }

    private java.util.Optional<String> wkt(String srs) {
        Gdal.Run run = gdal.gdalsrsinfo(List.of("-o", "wkt1", "--single-line", srs));
        String out = run.stdout().trim();
        return run.ok() && !out.isEmpty() ? java.util.Optional.of(out) : java.util.Optional.empty();
    }

    private static String name(String wkt) {
        Matcher m = NAME.matcher(wkt);
        return m.find() ? m.group(1) : null;
    }

    private static List<Text> datumWarnings(String wkt) {
        String lower = wkt.toLowerCase(Locale.ROOT);
        if (lower.contains("xian") || lower.contains("xi'an")) {
            return List.of(datumWarning("西安1980", "Xian 1980"));
        }
        if (lower.contains("beijing")) {
            return List.of(datumWarning("北京1954", "Beijing 1954"));
        }
        return List.of();
    }

    private static Text datumWarning(String zh, String en) {
        return Text.of(String.format(DATUM_WARNING_ZH, zh), String.format(DATUM_WARNING_EN, en));
    }
}
