CREATE TABLE app_user (
    username      text PRIMARY KEY CHECK (username ~ '^[A-Za-z0-9_.-]{2,40}$'),
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('INSPECTOR', 'PLANNER', 'GIS', 'ADMIN')),
    enabled       boolean     NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
