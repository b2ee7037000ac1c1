package cn.pollumap.platform;

/** A {@code bbox} query parameter: west,south,east,north in degrees (CGCS2000 lon/lat). */
public final class BoundingBox {

    private BoundingBox() {
    }

    /** The four numbers, or null when {@code text} is blank; a 400 naming {@code where} when malformed. */
    public static double[] parse(String text, String error, String where) {
        double[] b = numbers(text, error, where, false);
        if (b != null && (b[0] >= b[2] || b[1] >= b[3])) {
            throw outOfRange(error, where);
        }
        return b;
    }

    /**
     * As OGC API - Features reads it: 4 numbers, or 6 with heights (which are dropped); a west edge east of the
     * east edge means the box crosses the antimeridian. Null when {@code text} is blank.
     */
    public static double[] parseOgc(String text, String error, String where) {
        return numbers(text, error, where, true);
    }

    private static double[] numbers(String text, String error, String where, boolean heights) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.split(",");
        if (parts.length != 4 && !(heights && parts.length == 6)) {
            throw ApiException.badRequest(error, heights
                    ? Text.of("bbox 应为 west,south,east,north（经纬度），或带高程的 6 个数",
                            "bbox must be west,south,east,north in degrees, or 6 numbers with heights")
                    : Text.of("bbox 应为 west,south,east,north（经纬度）",
                            "bbox must be west,south,east,north in degrees"), where);
        }
        double[] all = new double[parts.length];
        try {
            for (int i = 0; i < all.length; i++) {
                all[i] = Double.parseDouble(parts[i].trim());
                if (!Double.isFinite(all[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(error, Text.of("bbox 含非数字", "bbox holds a value that is not a number"), where);
        }
        int upper = all.length / 2;
        double[] b = {all[0], all[1], all[upper], all[upper + 1]};
        if (b[1] > b[3] || b[0] < -180 || b[2] > 180 || b[0] > 180 || b[2] < -180 || b[1] < -90 || b[3] > 90) {
            throw outOfRange(error, where);
        }
        return b;
    }

    private static ApiException outOfRange(String error, String where) {
        return ApiException.badRequest(error, Text.of("bbox 范围无效：应 west < east、south < north，且在 ±180/±90 之内",
                "bbox must have west < east, south < north, within ±180/±90"), where);
    }
}
