package cn.pollumap.ogcapi;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import cn.pollumap.layer.FieldType;
import cn.pollumap.layer.LayerDefinition;
import cn.pollumap.layer.LayerField;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BoundingBox;
import cn.pollumap.platform.Text;

/**
 * The query of an items request, checked: {@code bbox} (4 or 6 numbers; west east of east crosses the
 * antimeridian), {@code limit} (at least 1; above the maximum it is the maximum, as the standard asks),
 * {@code datetime} (RFC 3339 instant or interval; no layer has a time of its own, so it selects everything),
 * {@code cursor} (where a page starts: after or before a feature id, so that pages stay put while imports add
 * rows), and the layer's fields as equality filters. Anything else is a 400.
 */
record ItemsRequest(double[] bbox, int limit, Cursor cursor, Map<LayerField, String> filters) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;
    /** The standard's parameters, and ours; the layer's field names come on top. */
    static final Set<String> PARAMETERS = Set.of("f", "bbox", "limit", "datetime", "cursor");

    /** A page starts after feature {@code id} ({@code a<id>}), or ends before it ({@code b<id>}). */
    record Cursor(boolean after, long id) {

        private static final Pattern FORM = Pattern.compile("([ab])(\\d{1,18})");

        static Cursor parse(String text) {
            Matcher m = text == null ? null : FORM.matcher(text);
            if (m == null || !m.matches()) {
                throw bad("cursor", Text.of("cursor 无效：请使用响应中 next/prev 链接给出的值",
                        "cursor is not valid: use the value the next/prev links give"));
            }
            return new Cursor(m.group(1).equals("a"), Long.parseLong(m.group(2)));
        }

        String value() {
            return (after ? "a" : "b") + id;
        }
    }

    static ItemsRequest parse(LayerDefinition layer, Map<String, String[]> query) {
        for (Map.Entry<String, String[]> p : query.entrySet()) {
            if (!PARAMETERS.contains(p.getKey()) && layer.field(p.getKey()).isEmpty()) {
                throw bad(p.getKey(), Text.of("未知的查询参数 " + Text.quoted(p.getKey()) + "（可用：bbox、limit、datetime、"
                        + "cursor 及图层字段）", "unknown query parameter " + Text.quoted(p.getKey())
                        + " (known: bbox, limit, datetime, cursor and the layer's fields)"));
            }
            if (p.getValue().length > 1) {
                throw bad(p.getKey(), Text.of("参数 " + p.getKey() + " 只能给一次", "parameter " + p.getKey()
                        + " may be given once"));
            }
        }
        String f = one(query, "f");
        if (f != null && !f.equals("json") && !f.equals("geojson")) {
            throw bad("f", Text.of("f 只支持 json", "f: only json is served"));
        }
        checkDatetime(one(query, "datetime"));
        String cursor = one(query, "cursor");
        Map<LayerField, String> filters = new LinkedHashMap<>();
        for (LayerField field : layer.fields()) {
            String value = one(query, field.name());
            if (value != null) {
                if (field.type() == FieldType.NUMBER) {
                    number(field.name(), value);
                }
                filters.put(field, value);
            }
        }
        return new ItemsRequest(BoundingBox.parseOgc(one(query, "bbox"), "bad_parameter", "bbox"),
                limit(one(query, "limit")), cursor == null ? null : Cursor.parse(cursor), filters);
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        double n = number("limit", text);
        if (n < 1 || n != Math.rint(n)) {
            throw bad("limit", Text.of("limit 应为不小于 1 的整数", "limit must be a whole number of at least 1"));
        }
        return n > MAX_LIMIT ? MAX_LIMIT : (int) n;
    }

    /** An instant, or an interval of two instants or ".." (open), as RFC 3339 writes them. */
    private static void checkDatetime(String text) {
        if (text == null) {
            return;
        }
        String[] ends = text.split("/", -1);
        boolean ok = switch (ends.length) {
            case 1 -> instant(ends[0]);
            case 2 -> (open(ends[0]) || instant(ends[0])) && (open(ends[1]) || instant(ends[1]));
            default -> false;
        };
        if (!ok) {
            throw bad("datetime", Text.of("datetime 应为 RFC 3339 时刻或区间，如 2026-01-01T00:00:00Z 或 "
                    + "2026-01-01T00:00:00Z/..", "datetime must be an RFC 3339 instant or interval, such as "
                    + "2026-01-01T00:00:00Z or 2026-01-01T00:00:00Z/.."));
        }
    }

    private static boolean open(String end) {
        return end.isEmpty() || end.equals("..");
    }

    private static boolean instant(String text) {
        try {
            if (text.length() == 10) {
                java.time.LocalDate.parse(text);
            } else {
                OffsetDateTime.parse(text);
            }
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static double number(String name, String text) {
        try {
            double n = Double.parseDouble(text.trim());
            if (Double.isFinite(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw bad(name, Text.of(name + " 应为数字", name + " must be a number"));
    }

    private static String one(Map<String, String[]> query, String name) {
        String[] values = query.get(name);
        return values == null ? null : values[0];
    }

    private static ApiException bad(String where, Text detail) {
        return ApiException.badRequest("bad_parameter", detail, where);
    }
}
