package cn.pollumap.support;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.jayway.jsonpath.JsonPath;

/** The rows of a JSON list as "a/b/c" strings, one part per path ("$.items[*].rule.id"), for set comparisons. */
public final class Listing {

    private Listing() {
    }

    public static Set<String> rows(String body, String... paths) {
        List<List<Object>> columns = java.util.Arrays.stream(paths).map(p -> JsonPath.<List<Object>>read(body, p)).toList();
        Set<String> out = new TreeSet<>();
        for (int i = 0; i < columns.get(0).size(); i++) {
            StringBuilder row = new StringBuilder();
            for (List<Object> column : columns) {
                row.append(row.isEmpty() ? "" : "/").append(column.get(i));
            }
            out.add(row.toString());
        }
        return out;
    }
}
