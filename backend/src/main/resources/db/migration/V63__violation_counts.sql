-- The violation list counted by the columns a page's filter can name but the town (scope and outcome as sort_rank,
-- binding, outcome, rule, layer, industry, status, key units), kept with the list: the total of a page filtered by
-- them is a sum over these groups instead of a count over the list (an industry set, or a key unit with an outcome,
-- took 88–153 ms at 340,000 breaches). Not by town: with it the groups were 207,000 for 359,000 breaches at a
-- province (120 towns times 1,382 industry classes) and a sum over them cost what counting did; a filter naming a
-- town is counted over the list through its town index. Derived: the recompute fills it with the summary.
CREATE TABLE violation_count (
    sort_rank     smallint NOT NULL,
    binding       text     NOT NULL,
    outcome       text     NOT NULL,
    rule_id       text     NOT NULL,
    layer         text,
    industry_code text,
    status        text,
    key_unit      text[]   NOT NULL,
    n             bigint   NOT NULL
);
INSERT INTO violation_count
SELECT sort_rank, binding, outcome, rule_id, layer, industry_code, status, key_unit, count(*)
FROM violation GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
