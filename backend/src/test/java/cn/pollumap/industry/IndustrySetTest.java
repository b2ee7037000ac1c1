package cn.pollumap.industry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import cn.pollumap.rules.Rule;
import cn.pollumap.rules.RuleCatalogue;
import cn.pollumap.support.PolluMapTest;

/**
 * An industry set answers "does code X match" in Java and as an SQL filter; the rules, the enterprise filter and
 * the siting check each use one or the other, so the two must agree on every class of the table — and on a
 * missing code and one that is not in the table, which only {@code all} takes in.
 */
@PolluMapTest
class IndustrySetTest {

    static final String MISSING = "(none)";

    @Autowired
    IndustryCatalogue catalogue;
    @Autowired
    RuleCatalogue rules;
    @Autowired
    JdbcClient jdbc;

    /** Every class, a missing code and a code that is not a class. */
    List<String> table() {
        List<String> codes = new ArrayList<>(catalogue.codes());
        codes.add(null);
        codes.add("9999");
        return codes;
    }

    @Test
    void javaAndSqlAgreeOnEveryClassForEveryCategory() {
        assertThat(catalogue.categories()).hasSizeGreaterThan(20);
        catalogue.categories().keySet().forEach(category ->
                agree(category, IndustrySet.of(List.of(category), List.of(), catalogue)));
    }

    @Test
    void javaAndSqlAgreeForAllPrefixesExceptionsAndEveryRulesSet() {
        agree("all", IndustrySet.of(List.of("all"), List.of(), catalogue));
        agree("all except 供水", IndustrySet.of(List.of("all"), List.of("供水"), catalogue));
        agree("26* except 2614", IndustrySet.of(List.of("26*"), List.of("2614"), catalogue));
        agree("filter 31", IndustrySet.parse("31", catalogue));
        agree("filter 2520 (a 2011 code)", IndustrySet.parse("2520", catalogue));
        for (Rule rule : rules.all()) {
            agree(rule.id(), rule.industries());
        }
    }

    private void agree(String what, IndustrySet set) {
        Set<String> java = new TreeSet<>();
        for (String code : table()) {
            if (set.contains(code)) {
                java.add(Objects.requireNonNullElse(code, MISSING));
            }
        }
        Map<String, Object> params = new HashMap<>();
        String where = set.sql("t.code", "industry", params);
        List<String> table = table();
        params.put("codes", table.toArray(String[]::new));
        Set<String> sql = new TreeSet<>(jdbc.sql("SELECT coalesce(t.code, '" + MISSING + "') FROM unnest(CAST(:codes AS text[])) "
                        + "AS t(code) WHERE " + where)
                .params(params).query(String.class).list());
        assertThat(sql).as(what).isEqualTo(java);
        assertThat(java).as(what + " takes in something").isNotEmpty();
    }
}
