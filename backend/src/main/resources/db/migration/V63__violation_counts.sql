-- The violation list counted by every column a page's filter can name (scope and outcome as sort_rank, binding,
-- outcome, rule, layer, town, industry, status, key units), kept with the list: the total of a page filtered by any
-- of them is a sum over these groups instead of a count over the list (an industry set, or a key unit with an
-- outcome, took 88–153 ms at 340,000 breaches). Derived: the recompute fills it with the summary.
CREATE TABLE violation_count (
    sort_rank     smallint NOT NULL,
    binding       text     NOT NULL,
    outcome       text     NOT NULL,
    rule_id       text     NOT NULL,
    layer         text,
    town          text,
    industry_code text,
    status        text,
    key_unit      text[]   NOT NULL,
    n             bigint   NOT NULL
);
INSERT INTO violation_count
SELECT sort_rank, binding, outcome, rule_id, layer, town, industry_code, status, key_unit, count(*)
FROM violation GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
