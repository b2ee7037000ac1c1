CREATE TABLE audit_log (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       timestamptz NOT NULL DEFAULT now(),
    username text        NOT NULL,
    address  text        NOT NULL,
    action   text        NOT NULL,
    target   text,
    outcome  text        NOT NULL CHECK (outcome IN ('OK', 'REFUSED', 'FAILED')),
    detail   jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_user_idx ON audit_log (username, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
