-- The comparison form of an industry code as files carry it: "C2521", " 2521 ", 2521.0, or 610 for 0610.
CREATE FUNCTION pollumap_industry_code_token(raw text) RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    t text := regexp_replace(regexp_replace(upper(regexp_replace(raw, '\s+', '', 'g')), '^[A-Z]', ''), '\.0+$', '');
BEGIN
    RETURN CASE WHEN t ~ '^[0-9]{3}$' THEN '0' || t ELSE t END;
END;
$$;

-- The GB/T 4754-2017 code for a source value; GB/T 4754-2011 codes in {former} become their {current} code.
CREATE FUNCTION pollumap_industry_code_2017(raw text, former text[], current text[]) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT AS $$
    SELECT CASE WHEN t ~ '^[0-9]{4}$' THEN coalesce(current[array_position(former, t)], t) END
    FROM pollumap_industry_code_token(raw) AS t
$$;

CREATE FUNCTION pollumap_industry_code_is_former(raw text, former text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(pollumap_industry_code_token(raw) = ANY (former), false)
$$;
