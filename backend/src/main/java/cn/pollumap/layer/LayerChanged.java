package cn.pollumap.layer;

/**
 * Published after an import, a rollback or a coverage change changed a layer (after the commit). {@code appended}
 * is the import when the change only added that import's features (an append); null when anything may have changed.
 */
public record LayerChanged(String layer, Long appended) {

    public LayerChanged(String layer) {
        this(layer, null);
    }
}
