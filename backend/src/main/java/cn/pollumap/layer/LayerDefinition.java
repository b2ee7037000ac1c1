package cn.pollumap.layer;

import java.util.List;
import java.util.Optional;

/** A layer: its id (also its table), titles, geometry family and canonical fields. */
public record LayerDefinition(String id, String zh, String en, GeometryKind geometry, List<LayerField> fields) {

    public LayerDefinition {
        fields = List.copyOf(fields);
    }

    public Optional<LayerField> field(String name) {
        return fields.stream().filter(f -> f.name().equals(name)).findFirst();
    }

}
