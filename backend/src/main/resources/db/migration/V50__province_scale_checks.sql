-- Import checks at province scale: the credit-code check as one SQL expression that the planner inlines into the
-- staging check (the plpgsql loop it replaces cost tens of microseconds a row), and the industry-code functions
-- that the staging check no longer calls (it looks codes up in a jsonb object bound once, see StagingCheck).

-- GB 32100-2015: 18 characters from the 31-character set, the last a check character over the first 17 weighted
-- 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 (3^i mod 31). Null for null.
CREATE OR REPLACE FUNCTION pollumap_credit_code_ok(code text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT code ~ '^[0-9A-HJ-NP-RT-UW-Y]{18}$'
       AND substr('0123456789ABCDEFGHJKLMNPQRTUWXY', (31 - (
           (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 1, 1)) - 1) * 1
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 2, 1)) - 1) * 3
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 3, 1)) - 1) * 9
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 4, 1)) - 1) * 27
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 5, 1)) - 1) * 19
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 6, 1)) - 1) * 26
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 7, 1)) - 1) * 16
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 8, 1)) - 1) * 17
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 9, 1)) - 1) * 20
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 10, 1)) - 1) * 29
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 11, 1)) - 1) * 25
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 12, 1)) - 1) * 13
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 13, 1)) - 1) * 8
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 14, 1)) - 1) * 24
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 15, 1)) - 1) * 10
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 16, 1)) - 1) * 30
         + (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 17, 1)) - 1) * 28) % 31) % 31 + 1, 1) = substr(code, 18, 1)
$$;

DROP FUNCTION pollumap_industry_code_2017(text, text[], text[]);
DROP FUNCTION pollumap_industry_code_is_former(text, text[]);
DROP FUNCTION pollumap_industry_code_token(text);
