package cn.pollumap.violation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import cn.pollumap.enterprise.EnterpriseFilter;
import cn.pollumap.industry.IndustryCatalogue;
import cn.pollumap.layer.LayerRegistry;
import cn.pollumap.platform.ApiException;
import cn.pollumap.platform.BoundingBox;
import cn.pollumap.platform.ExportFile;
import cn.pollumap.platform.Text;
import cn.pollumap.rules.RuleCatalogue;

/**
 * The filters of {@code GET /api/violations}, checked, as SQL conditions on the violation table ({@code v}, which
 * carries each enterprise's fields) with their parameters. Every value is checked against what exists (rules,
 * layers, industries, status values); a bad one is a 400 naming it. Closed enterprises (status 关闭) are left out
 * unless the filter asks for that status. {@code scope} is existing, new or all; {@code scopeOnly}: nothing else is
 * asked, so the summary kept with the list answers it; {@code keptCounts}: every condition names a column of the
 * counts kept with the list ({@code violation_count}, V63: not a town, a bounding box, data quality or one
 * enterprise), so a sum over those counts answers a total.
 */
record ViolationFilter(List<String> conditions, Map<String, Object> params, List<Text> words, String scope,
                       boolean scopeOnly, boolean keptCounts) {

    /** The raw query parameters; {@code enterprise} an enterprise's id (the breaches of one firm, for its popup). */
    record Raw(String rule, String layer, String industry, String town, String keyUnit, String status, String quality,
               String outcome, String bbox, String scope, String enterprise) {
    }

    static ViolationFilter of(Raw raw, RuleCatalogue rules, LayerRegistry layers, IndustryCatalogue industries) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        // the filter in words, for the name of an export
        List<Text> words = new ArrayList<>();
        if (raw.rule() != null) {
            var rule = rules.find(raw.rule()).orElseThrow(() -> bad("rule", Text.of("未知规则 " + Text.quoted(raw.rule())
                    + "：请从规则列表中选择", "unknown rule " + Text.quoted(raw.rule()) + ": choose one from the list of rules")));
            where.add("v.rule_id = :rule");
            params.put("rule", rule.id());
            words.add(ExportFile.value(rule.id()));
        }
        // By default only breaches of rules that bind existing enterprises; scope=all adds the conflicts with
        // rules for new projects (存量冲突), which are planning information, not breaches.
        String scope = raw.scope() == null ? "existing" : raw.scope().trim().toLowerCase(Locale.ROOT);
        switch (scope) {
            case "existing" -> where.add("v.binding = 'EXISTING'");
            case "new" -> {
                where.add("v.binding = 'NEW_PROJECTS'");
                words.add(Text.of("存量冲突", "conflicts"));
            }
            case "all" -> {
                where.add("TRUE");
                words.add(Text.of("含存量冲突", "with-conflicts"));
            }
            default -> throw bad("scope", Text.of("scope 只能是 existing（默认，现有企业违反的规定）、new（与新建项目规定的存量冲突）或 all",
                    "scope must be existing (default: breaches of rules binding existing enterprises), new (conflicts "
                            + "with rules for new projects) or all"));
        }
        if (raw.layer() != null) {
            var layer = layers.require(raw.layer(), "layer");
            where.add("v.layer = :layer");
            params.put("layer", raw.layer());
            words.add(Text.of(layer.zh(), layer.en()));
        }
        EnterpriseFilter enterprises = new EnterpriseFilter(raw.industry(), raw.town(), raw.keyUnit(), raw.status(),
                raw.quality());
        enterprises.appendTo("v", where, params, industries, layers);
        words.addAll(enterprises.words(industries, layers));
        if (raw.enterprise() != null) {
            if (!raw.enterprise().matches("\\d{1,18}")) {
                throw bad("enterprise", Text.of("enterprise 应为企业编号（数字），而非 " + Text.quoted(raw.enterprise()),
                        "enterprise must be an enterprise's number, not " + Text.quoted(raw.enterprise())));
            }
            where.add("v.enterprise_id = :enterprise");
            params.put("enterprise", Long.parseLong(raw.enterprise()));
        }
        if (raw.status() == null) {
            where.add("v.status IS DISTINCT FROM '关闭'");
        }
        if (raw.outcome() != null) {
            String o = switch (raw.outcome().trim().toUpperCase(Locale.ROOT)) {
                case "PROHIBITED", "禁止" -> "PROHIBITED";
                case "RESTRICTED", "限制" -> "RESTRICTED";
                default -> throw bad("outcome", Text.of("outcome 只能是 PROHIBITED 或 RESTRICTED",
                        "outcome must be PROHIBITED or RESTRICTED"));
            };
            where.add("v.outcome = :outcome");
            params.put("outcome", o);
            words.add(o.equals("PROHIBITED") ? Text.of("禁止", "prohibited") : Text.of("限制", "restricted"));
        }
        if (raw.bbox() != null) {
            double[] b = BoundingBox.parse(raw.bbox(), "bad_filter", "bbox");
            where.add("v.geom && ST_MakeEnvelope(:west, :south, :east, :north, 4490)");
            params.put("west", b[0]);
            params.put("south", b[1]);
            params.put("east", b[2]);
            params.put("north", b[3]);
            words.add(Text.of("地图范围内", "in-view"));
        }
        // The same scope and outcome as a range of sort_rank, the first column of the list's order: a page by key
        // then stops where its ranks end instead of reading the rest.
        String outcome = (String) params.get("outcome");
        int[] ranks = java.util.stream.IntStream.range(0, 2 * ViolationRefresh.RANK_NEW_PROJECTS)
                .filter(r -> scope.equals("all") || scope.equals("existing") == ((r & ViolationRefresh.RANK_NEW_PROJECTS) == 0))
                .filter(r -> outcome == null || outcome.equals("PROHIBITED") == ((r & ViolationRefresh.RANK_RESTRICTED) == 0))
                .toArray();
        if (ranks.length < 2 * ViolationRefresh.RANK_NEW_PROJECTS) {
            where.add("v.sort_rank BETWEEN " + ranks[0] + " AND " + ranks[ranks.length - 1]);
        }
        boolean scopeOnly = raw.rule() == null && raw.layer() == null && raw.industry() == null && raw.town() == null
                && raw.keyUnit() == null && raw.status() == null && raw.quality() == null && raw.outcome() == null
                && raw.bbox() == null && raw.enterprise() == null;
        return new ViolationFilter(where, params, List.copyOf(words), scope, scopeOnly,
                raw.town() == null && raw.bbox() == null && raw.quality() == null && raw.enterprise() == null);
    }

    String sql() {
        return String.join(" AND ", conditions);
    }

    private static ApiException bad(String where, Text detail) {
        return ApiException.badRequest("bad_filter", detail, where);
    }
}
