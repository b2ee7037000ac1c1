-- The counts kept with the list (V63) without the town: by town they made 207,000 groups of 359,000 breaches at a
-- province (120 towns times 1,382 industry classes), and a sum over them took as long as counting the list. A
-- filter naming a town is counted over the list through its town index (a town holds a few thousand breaches);
-- the other filters sum some 40,000 groups.
DROP TABLE violation_count;
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
