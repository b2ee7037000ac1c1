package cn.pollumap.platform;

/** A {@code bbox} query parameter: west,south,east,north in degrees (CGCS2000 lon/lat). */
public final class BoundingBox {

    private BoundingBox() {
    }

    /** The four numbers, or null when {@code text} is blank; a 400 naming {@code where} when malformed. */
    public static double[] parse(String text, String error, String where) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.split(",");
        if (parts.length != 4) {
            throw ApiException.badRequest(error, Text.of("bbox 应为 west,south,east,north（经纬度）",
                    "bbox must be west,south,east,north in degrees"), where);
        }
        double[] b = new double[4];
        try {
            for (int i = 0; i < 4; i++) {
                b[i] = Double.parseDouble(parts[i].trim());
                if (!Double.isFinite(b[i])) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(error, Text.of("bbox 含非数字", "bbox holds a value that is not a number"), where);
        }
        if (b[0] >= b[2] || b[1] >= b[3] || b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90) {
            throw ApiException.badRequest(error, Text.of("bbox 范围无效：应 west < east、south < north，且在 ±180/±90 之内",
                    "bbox must have west < east, south < north, within ±180/±90"), where);
        }
        return b;
    }
}
