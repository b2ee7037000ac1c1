package cn.pollumap.layer;

/** Published after an import or a rollback changed a layer's features (after the commit). */
public record LayerChanged(String layer) {
}
