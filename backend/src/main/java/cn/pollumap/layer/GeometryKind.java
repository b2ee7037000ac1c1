package cn.pollumap.layer;

/** The geometry family a layer holds, and how it is stored (lines and polygons always as multi-geometries). */
public enum GeometryKind {
    POINT("Point", "Point", 1, "点"),
    LINE("LineString", "MultiLineString", 2, "线"),
    POLYGON("Polygon", "MultiPolygon", 3, "面");

    private final String label;
    private final String storedType;
    private final int dimension;
    private final String zh;

    GeometryKind(String label, String storedType, int dimension, String zh) {
        this.label = label;
        this.storedType = storedType;
        this.dimension = dimension;
        this.zh = zh;
    }

    /** The name users see, e.g. "Polygon". */
    public String label() {
        return label;
    }

    /** The PostGIS column type, e.g. "MultiPolygon". */
    public String storedType() {
        return storedType;
    }

    /** The topological dimension, as ST_Dimension and ST_CollectionExtract count it (point 1, line 2, polygon 3). */
    public int collectionType() {
        return dimension;
    }

    public String zh() {
        return zh;
    }
}
