-- The enterprises counted per cell of the map's tiles, at each zoom where a tile may hold more of them than a map
-- draws one by one (tiles.EnterpriseClusters): made again after each violation recompute, as the breach counts
-- come from the list. A cell (cx, cy) of zoom z is one of `cells` × `cells` in each tile of that zoom; the mean
-- position (mx, my) is in EPSG:3857.
CREATE TABLE enterprise_cluster (
    z        smallint         NOT NULL,
    cx       integer          NOT NULL,
    cy       integer          NOT NULL,
    n        integer          NOT NULL,
    breaches integer          NOT NULL,
    symbol   text             NOT NULL,
    mx       double precision NOT NULL,
    my       double precision NOT NULL,
    PRIMARY KEY (z, cx, cy)
);

-- When the cells were last made, and with how many cells a tile: part of the enterprise tiles' version (ETag).
CREATE TABLE enterprise_cluster_run (
    id       integer     PRIMARY KEY CHECK (id = 1),
    built_at timestamptz NOT NULL,
    cells    integer     NOT NULL
);
