-- The province-scale benchmark set, built in SQL from a fixed seed (see province.sh, which runs it and writes the
-- rows out as GeoPackages with ogr2ogr). Every random number is a hash of (seed, stream, row number), so the set is
-- the same on every machine: no random(), no ST_GeneratePoints, no dependence on plan or scan order.
--
-- Inputs (psql variables): seed, enterprises, zones, red_lines, rivers, extra (enterprises of the append file).
-- Inputs (tables, loaded by province.sh): gen.counties (adcode, name, geom: the 34 county outlines of
-- data/reference), gen.industry (n, code, name: the GB/T 4754-2017 classes numbered from 1), gen.river_names (n, name:
-- the Shanxi rivers of data/reference, numbered from 1).
-- Output tables: gen.enterprises, gen.enterprises_extra, gen.zones, gen.red_lines, gen.rivers.
\set ON_ERROR_STOP on
SET search_path = gen, public;

-- u(stream, i): a number in [0, 1) fixed by the seed, the stream and the row
CREATE FUNCTION u(stream text, i bigint) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT ('x' || substr(md5(current_setting('gen.seed') || '/' || stream || '/' || i), 1, 12))::bit(48)::bigint
           / 281474976710656.0
$$;
SELECT set_config('gen.seed', :'seed', false) \gset

-- pick(arr, x): the element of arr at fraction x
CREATE FUNCTION pick(arr text[], x float8) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT arr[1 + floor(x * cardinality(arr))::int]
$$;

-- cc17(h): 17 characters of the GB 32100 set (two digits first) from 34 hex digits; check_char(c): the check character
-- (plpgsql: an SQL function that names its argument 17 times is not inlined, and is slower called than plpgsql)
CREATE FUNCTION cc17(h text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 1, 2))::bit(8)::int % 10, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 3, 2))::bit(8)::int % 10, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 5, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 7, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 9, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 11, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 13, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 15, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 17, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 19, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 21, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 23, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 25, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 27, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 29, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 31, 2))::bit(8)::int % 31, 1)
        || substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + ('x' || substr(h, 33, 2))::bit(8)::int % 31, 1);
END
$$;
CREATE FUNCTION check_char(c text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    RETURN substr('0123456789ABCDEFGHJKLMNPQRTUWXY', 1 + (31 - ((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 1, 1)) - 1) * 1
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 2, 1)) - 1) * 3
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 3, 1)) - 1) * 9
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 4, 1)) - 1) * 27
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 5, 1)) - 1) * 19
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 6, 1)) - 1) * 26
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 7, 1)) - 1) * 16
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 8, 1)) - 1) * 17
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 9, 1)) - 1) * 20
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 10, 1)) - 1) * 29
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 11, 1)) - 1) * 25
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 12, 1)) - 1) * 13
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 13, 1)) - 1) * 8
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 14, 1)) - 1) * 24
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 15, 1)) - 1) * 10
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 16, 1)) - 1) * 30
           + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c, 17, 1)) - 1) * 28) % 31) % 31, 1);
END
$$;

CREATE TABLE region AS SELECT ST_Subdivide(geom, 64) AS geom, adcode, name FROM counties;
CREATE INDEX ON region USING gist (geom);
ANALYZE region;
CREATE TABLE bounds AS
SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) - ST_XMin(e) AS dx, ST_YMax(e) - ST_YMin(e) AS dy,
       (SELECT sum(ST_Area(geom)) FROM counties) / ((ST_XMax(e) - ST_XMin(e)) * (ST_YMax(e) - ST_YMin(e))) AS fill
FROM (SELECT ST_Extent(geom)::geometry AS e FROM counties) x;

-- points(stream, n): n points inside the region, with their county: candidates uniform over the bounding box,
-- kept where they fall in a county, the first n by number
CREATE FUNCTION points(stream text, wanted bigint) RETURNS TABLE (i bigint, geom geometry, adcode text, county text)
LANGUAGE sql AS $$
    SELECT row_number() OVER (ORDER BY c.k), c.p, r.adcode, r.name
    FROM (SELECT k, ST_SetSRID(ST_MakePoint(b.x0 + u(stream || 'x', k) * b.dx, b.y0 + u(stream || 'y', k) * b.dy), 4490) AS p
          FROM bounds b, generate_series(1, ceil(wanted / b.fill * 1.15 + 100)::bigint) k) c
    JOIN region r ON ST_Intersects(r.geom, c.p)
    ORDER BY c.k LIMIT wanted
$$;

-- Towns: the centres enterprises gather around, one per ~500 enterprises, each with a name
CREATE TABLE towns AS
SELECT i, geom, adcode, county,
       pick('{东关,西关,南关,北关,城关,古城,新城,梧桐,高阳,下堡,兑镇,柱濮,驿马,杜村,崇文,振兴,中阳,新义,大孝堡,阳泉曲,胜溪,西泉,南阳,东许,王家庄,金龙,宁固,义安,洪相,张家庄,龙凤,三泉,凤山,贾家庄,徐沟,晋祠,姚村,北格,西温庄,马峪}', u('town', i))
       || pick('{镇,镇,乡,街道}', u('townkind', i)) AS town
FROM points('town', greatest(50, :enterprises / 500));
CREATE INDEX ON towns (i);

-- Enterprises around the towns (a few kilometres; a third further out), with the fields of a permit registry
-- as a county bureau keeps it: mostly clean, with the faults real registries have (a wrong check character, a
-- class code of 2011 or none at all, a name missing) in small shares.
CREATE FUNCTION enterprise_rows(stream text, wanted bigint) RETURNS TABLE (
    i bigint, geom geometry, "企业名称" text, "统一社会信用代码" text, "行业代码" text, "行业名称" text, "乡镇" text,
    "园区" text, "重点排污单位" text, "排污许可证编号" text, "管理类别" text, "生产状态" text, "详细地址" text)
LANGUAGE sql AS $$
    WITH t AS (SELECT count(*) AS towns FROM towns),
    heavy AS (SELECT '{0610,0620,2521,2522,3110,3120,3011,2614,2619,2621,3216,4411,3391,3340,1511,2710,3021,3031,0313,0321,1351,2211,2221,3360,3130,3140,0810,1011}'::text[] AS codes),
    cand AS (
        SELECT k, tw.town, tw.county, tw.adcode,
               -- Box-Muller: a normal offset from the town centre, in metres
               sqrt(-2 * ln(1 - u(stream || 'r', k))) * CASE WHEN u(stream || 'far', k) < 0.33 THEN 6000 ELSE 1800 END AS d,
               2 * pi() * u(stream || 'a', k) AS a,
               tw.geom AS centre
        FROM t CROSS JOIN generate_series(1, ceil(wanted * 1.25 + 100)::bigint) k
        JOIN towns tw ON tw.i = 1 + floor(u(stream || 'town', k) * t.towns)::bigint),
    placed AS (
        SELECT c.k, c.town, c.county,
               ST_SetSRID(ST_MakePoint(ST_X(c.centre) + c.d * cos(c.a) / (111320 * cos(radians(ST_Y(c.centre)))),
                                       ST_Y(c.centre) + c.d * sin(c.a) / 110540), 4490) AS geom
        FROM cand c),
    inside AS (
        SELECT p.*, row_number() OVER (ORDER BY p.k) AS i FROM placed p
        WHERE EXISTS (SELECT 1 FROM region r WHERE ST_Intersects(r.geom, p.geom))),
    firm AS (
        SELECT x.*, CASE WHEN u(stream || 'hv', x.i) < 0.5 THEN pick(h.codes, u(stream || 'code', x.i)) ELSE ind.code END AS code,
               cc17(md5(current_setting('gen.seed') || '/' || stream || 'cc/' || x.i)
                    || md5(current_setting('gen.seed') || '/' || stream || 'cd/' || x.i)) AS cc17
        FROM inside x CROSS JOIN heavy h CROSS JOIN (SELECT count(*) AS n FROM industry) ni
        JOIN industry ind ON ind.n = 1 + floor(u(stream || 'code', x.i) * ni.n)::int
        WHERE x.i <= wanted)
    SELECT f.i, f.geom,
           CASE WHEN u(stream || 'noname', f.i) < 0.001 THEN NULL
                ELSE f.county || pick('{晋,汾,吕,鑫,华,宏,泰,恒,盛,源,兴,利,达,通,瑞,丰,安,康,宁,远}', u(stream || 'n1', f.i))
                     || pick('{阳,山,河,鼎,昌,祥,鹏,隆,旺,升,宇,新,森,峰,伟,腾,博,正,信,德}', u(stream || 'n2', f.i))
                     || CASE WHEN u(stream || 'n3', f.i) < 0.3 THEN pick('{煤业,焦化,钢铁,化工,建材,物流,商贸,农牧,机械,铸造}', u(stream || 'n4', f.i))
                             ELSE '实业' END
                     || CASE WHEN u(stream || 'n5', f.i) < 0.6 THEN '有限公司' ELSE '有限责任公司' END
                     || CASE WHEN u(stream || 'n6', f.i) < 0.5 THEN '' ELSE '第' || (1 + floor(u(stream || 'n7', f.i) * 99))::int || '分公司' END
           END,
           CASE WHEN u(stream || 'ccnone', f.i) < 0.01 THEN NULL
                ELSE f.cc17 || CASE WHEN u(stream || 'ccbad', f.i) < 0.02 THEN 'I'  -- not in the set: a typo
                     ELSE check_char(f.cc17) END
           END,
           CASE WHEN u(stream || 'icnone', f.i) < 0.01 THEN NULL
                WHEN u(stream || 'icbad', f.i) < 0.01 THEN '9999'
                WHEN u(stream || 'icc', f.i) < 0.05 THEN 'C' || f.code
                ELSE f.code END,
           nm.name,
           f.town,
           CASE WHEN u(stream || 'park', f.i) < 0.15
                THEN f.county || pick('{经济技术开发区,工业园区,循环经济园区,高新技术产业园区,现代煤化工园区}', u(stream || 'parkname', f.i)) END,
           pick('{"",""," ","","",否,水,大气,"水,大气",土壤,"水、大气、土壤"}', u(stream || 'key', f.i)),
           CASE WHEN u(stream || 'permit', f.i) < 0.6 THEN f.cc17 || '001P' END,
           pick('{重点管理,简化管理,简化管理,登记管理,登记管理,登记管理,登记管理}', u(stream || 'class', f.i)),
           pick('{在产,在产,在产,在产,在产,在产,在产,在产,在产,在产,在产,在产,在产,在产,在产,在产,停产,停产,关闭,搬迁}', u(stream || 'status', f.i)),
           '山西省' || f.county || f.town || (1 + floor(u(stream || 'addr', f.i) * 300))::int || '号'
    FROM firm f LEFT JOIN industry nm ON nm.code = f.code
$$;

CREATE TABLE enterprises AS SELECT * FROM enterprise_rows('e', :enterprises);
CREATE TABLE enterprises_extra AS SELECT * FROM enterprise_rows('x', :extra);

-- Drinking-water source protection zones: small discs, grade 1 smallest, a quarter of them groundwater sources
CREATE TABLE zones AS
SELECT p.i, ST_Buffer(p.geom::geography, CASE g.grade WHEN '一级' THEN 50 + 100 * u('zr', p.i)
                                                   WHEN '二级' THEN 100 + 200 * u('zr', p.i)
                                                   ELSE 150 + 250 * u('zr', p.i) END, 'quad_segs=4')::geometry AS geom,
       p.county || '第' || p.i || '号水源地' AS "水源名称", g.grade AS "保护级别",
       k.kind AS "水源类型",
       CASE WHEN k.kind = '地下水' THEN pick('{潜水,承压水,""}', u('aq', p.i)) END AS "含水层类型"
FROM points('z', :zones) p
CROSS JOIN LATERAL (SELECT pick('{一级,一级,二级,二级,准保护区}', u('zg', p.i)) AS grade) g
CROSS JOIN LATERAL (SELECT pick('{地表水,地表水,地表水,地下水}', u('zk', p.i)) AS kind) k;

-- Ecological red lines: stretched and turned discs of 0.2–1 km; one in 200 drawn as a bow-tie (self-crossing)
CREATE TABLE red_lines AS
SELECT p.i,
       CASE WHEN u('rbad', p.i) < 0.005
            THEN ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
                     ST_MakePoint(ST_X(p.geom) - 0.01, ST_Y(p.geom) - 0.01), ST_MakePoint(ST_X(p.geom) + 0.01, ST_Y(p.geom) + 0.01),
                     ST_MakePoint(ST_X(p.geom) + 0.01, ST_Y(p.geom) - 0.01), ST_MakePoint(ST_X(p.geom) - 0.01, ST_Y(p.geom) + 0.01),
                     ST_MakePoint(ST_X(p.geom) - 0.01, ST_Y(p.geom) - 0.01)])), 4490)
            ELSE ST_Rotate(ST_Scale(ST_Buffer(p.geom::geography, 200 + 800 * u('rr', p.i), 'quad_segs=8')::geometry,
                                    ST_MakePoint(0.6 + 0.8 * u('rs', p.i), 1), p.geom),
                           pi() * u('rt', p.i), p.geom) END AS geom,
       p.county || '生态保护红线' || p.i AS "红线名称",
       pick('{水源涵养,水土保持,生物多样性维护,防风固沙,水土流失,土地沙化,自然保护地}', u('rk', p.i)) AS "红线类型"
FROM points('r', :red_lines) p;

-- River segments: random walks of 4–8 steps of 100–300 m; named rivers get a basin when the file says so
CREATE TABLE rivers AS
SELECT p.i, w.geom,
       CASE WHEN u('vn', p.i) < 0.3 THEN (SELECT name FROM river_names WHERE river_names.n = 1 + floor(u('vname', p.i)
                                          * (SELECT count(*) FROM river_names))::int)
            ELSE pick('{石,柳,杨,黄,白,清,沙,马,龙,石门,东,西,南,北,峪,泉}', u('vs', p.i)) || pick('{沟,河,川,涧}', u('vk', p.i)) END
           AS "河流名称",
       pick('{干流,支流,支流,支流,支流,支流,支流,支流,支流,支流}', u('vl', p.i)) AS "河流级别",
       CASE WHEN u('vb', p.i) < 0.4 THEN pick('{黄河,黄河,黄河,海河}', u('vbb', p.i)) END AS "流域"
FROM points('v', :rivers) p
CROSS JOIN LATERAL (
    SELECT ST_MakeLine(array_agg(ST_SetSRID(ST_MakePoint(ST_X(p.geom) + s.dx / (111320 * cos(radians(ST_Y(p.geom)))),
                                                         ST_Y(p.geom) + s.dy / 110540), 4490) ORDER BY s.j)) AS geom
    FROM (SELECT j, sum(len * cos(head)) OVER w AS dx, sum(len * sin(head)) OVER w AS dy
          FROM (SELECT j, CASE WHEN j = 0 THEN 0 ELSE 100 + 200 * u('vd' || j, p.i) END AS len,
                       2 * pi() * u('vh', p.i) + 0.8 * (u('vt' || j, p.i) - 0.5) * j AS head
                FROM generate_series(0, 4 + floor(u('vc', p.i) * 5)::int) j) st
          WINDOW w AS (ORDER BY j)) s) w;
