-- The search box matches any part of a firm's text fields (a credit code from its middle, a word of its address):
-- trigram indexes serve "ILIKE '%…%'" on one text made of those fields. pg_trgm is a trusted extension, so the
-- database's owner creates it without a superuser.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Immutable (text || text and coalesce are), so that an index can be built on it; the query calls the same function.
CREATE FUNCTION pollumap_enterprise_text(name text, credit_code text, address text, town text, park text,
                                         industry_name text, permit_no text)
    RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(name, '') || ' ' || coalesce(credit_code, '') || ' ' || coalesce(address, '') || ' '
        || coalesce(town, '') || ' ' || coalesce(park, '') || ' ' || coalesce(industry_name, '') || ' '
        || coalesce(permit_no, '');

CREATE INDEX enterprises_text_idx ON enterprises
    USING gin (pollumap_enterprise_text(name, credit_code, address, town, park, industry_name, permit_no) gin_trgm_ops);
