package cn.pollumap.siting;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a longitude or latitude typed as decimal degrees (111.7817) or 度分秒 (111°46′54″, 111度46分54秒, 111 46 54). */
final class Coordinates {

    private static final Pattern DECIMAL = Pattern.compile("^[-+]?\\d+(\\.\\d+)?$");
    private static final Pattern DMS = Pattern.compile(
            "^([-+]?\\d+(?:\\.\\d+)?)\\s*[°度:\\s]\\s*(?:(\\d+(?:\\.\\d+)?)\\s*['′’分:\\s]?\\s*)?(?:(\\d+(?:\\.\\d+)?)\\s*(?:\"|″|”|''|′′|秒)?)?\\s*([NSEWnsew东西南北])?$");

    private Coordinates() {
    }

    /** Decimal degrees, or null when the text is neither form. */
    static Double parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim().replace('，', '.').replaceFirst("^[EeNn东北]\\s*", "");
        if (DECIMAL.matcher(t).matches()) {
            return Double.valueOf(t);
        }
        Matcher m = DMS.matcher(t);
        if (!m.matches()) {
            return null;
        }
        double degrees = Double.parseDouble(m.group(1));
        double minutes = m.group(2) == null ? 0 : Double.parseDouble(m.group(2));
        double seconds = m.group(3) == null ? 0 : Double.parseDouble(m.group(3));
        if (minutes >= 60 || seconds >= 60) {
            return null;
        }
        double value = Math.abs(degrees) + minutes / 60 + seconds / 3600;
        String hemisphere = m.group(4) == null ? "" : m.group(4).toUpperCase();
        boolean negative = degrees < 0 || hemisphere.equals("S") || hemisphere.equals("W") || hemisphere.equals("南")
                || hemisphere.equals("西");
        return negative ? -value : value;
    }
}
