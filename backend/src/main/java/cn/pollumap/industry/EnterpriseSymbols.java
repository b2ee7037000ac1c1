package cn.pollumap.industry;

import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * The symbol an enterprise has on the map, from its industry's categories: the first symbol whose categories
 * take the enterprise's class wins, else {@code other}. The one definition: the map reads it from
 * {@code /api/industries}, the vector tiles evaluate it in SQL ({@link #sql}).
 */
@Component
public class EnterpriseSymbols {

    /** A symbol and the categories (data/industries/categories.yaml) it stands for. */
    public record Symbol(String key, List<String> categories) {
    }

    public static final String OTHER = "other";

    private static final List<Symbol> SYMBOLS = List.of(
            new Symbol("coke", List.of("焦化")),
            new Symbol("chem", List.of("化工")),
            new Symbol("steel", List.of("钢铁", "铸造")),
            new Symbol("nonferrous", List.of("有色金属冶炼")),
            new Symbol("kiln", List.of("水泥", "建材窑炉")),
            new Symbol("mining", List.of("采矿", "洗煤")),
            new Symbol("power", List.of("火电")),
            new Symbol("livestock", List.of("畜禽养殖")));

    private final List<IndustrySet> sets;

    EnterpriseSymbols(IndustryCatalogue catalogue) {
        this.sets = SYMBOLS.stream().map(s -> IndustrySet.of(s.categories(), List.of(), catalogue)).toList();
    }

    /** The symbols in the order they are tried, {@code other} last. */
    public List<Symbol> all() {
        return java.util.stream.Stream.concat(SYMBOLS.stream(), java.util.stream.Stream.of(new Symbol(OTHER, List.of())))
                .toList();
    }

    /** The symbol of a column of 2017 codes, as an SQL expression; the code arrays go into {@code params}. */
    public String sql(String column, Map<String, Object> params) {
        StringBuilder sql = new StringBuilder("CASE");
        for (int i = 0; i < SYMBOLS.size(); i++) {
            sql.append(" WHEN ").append(sets.get(i).sql(column, "symbol" + i, params)).append(" THEN '")
                    .append(SYMBOLS.get(i).key()).append('\'');
        }
        return sql.append(" ELSE '").append(OTHER).append("' END").toString();
    }
}
