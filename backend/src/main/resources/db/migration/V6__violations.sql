-- The enterprises that break a rule (PROHIBITED or RESTRICTED), one row per enterprise and rule with the nearest
-- offending feature; recomputed in one statement after every change to a layer the rules read.
CREATE TABLE violation (
    enterprise_id bigint  NOT NULL,
    rule_id       text    NOT NULL,
    outcome       text    NOT NULL CHECK (outcome IN ('PROHIBITED', 'RESTRICTED')),
    layer         text,
    feature_id    bigint,
    feature_name  text,
    distance      double precision,
    inside        boolean NOT NULL,
    PRIMARY KEY (enterprise_id, rule_id)
);
CREATE INDEX violation_rule_idx ON violation (rule_id);

CREATE TABLE violation_run (
    id          integer PRIMARY KEY CHECK (id = 1),
    computed_at timestamptz NOT NULL,
    duration_ms integer     NOT NULL,
    enterprises integer     NOT NULL,
    breaches    integer     NOT NULL
);
