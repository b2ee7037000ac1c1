package cn.pollumap.layer;

/** How a canonical field's source values are checked and stored. */
public enum FieldType {
    /** Free text. */
    TEXT("text"),
    /** A number, e.g. a width in metres. */
    NUMBER("double precision"),
    /** One of a fixed set of values, normalised from the variants real files carry. */
    CHOICE("text"),
    /** 统一社会信用代码, 18 characters with the GB 32100-2015 check character. */
    CREDIT_CODE("text"),
    /** A GB/T 4754-2017 class, 4 digits (2011 codes the industry list knows are translated). */
    INDUSTRY_CODE("text"),
    /** A GB/T 2260 administrative division code, 6 digits. */
    ADCODE("text"),
    /** 重点排污单位 categories: any of water, air, soil, noise. */
    KEY_UNITS("text[]");

    private final String sqlType;

    FieldType(String sqlType) {
        this.sqlType = sqlType;
    }

    public String sqlType() {
        return sqlType;
    }
}
