-- Messages in two languages are {"zh", "en"} objects now, no longer one string "中文 / English". The import
-- history (warnings, rejection reasons) and the stored siting checks (reasons a rule was not checked) are read
-- back as objects, so the rows written before are converted: each string is split at the first "/ " after which
-- no Chinese follows (the English sides of those messages quote no Chinese). A string that does not split keeps
-- its whole text in both languages. The audit log is left as it was written.
CREATE FUNCTION pollumap_v8_text(message jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN jsonb_typeof(message) <> 'string' THEN message
                WHEN parts IS NULL THEN jsonb_build_object('zh', message #>> '{}', 'en', message #>> '{}')
                ELSE jsonb_build_object('zh', parts[1], 'en', parts[2]) END
    FROM regexp_match(message #>> '{}', '^(.+?)\s?/ ([^\u3000-\u9fff\uff00-\uffef]+)$') AS parts
$$;

UPDATE import_job SET
    warnings = (SELECT coalesce(jsonb_agg(pollumap_v8_text(w) ORDER BY i), '[]')
                FROM jsonb_array_elements(warnings) WITH ORDINALITY AS t(w, i)),
    rejections = (SELECT coalesce(jsonb_agg(r || jsonb_build_object('reasons',
                      (SELECT coalesce(jsonb_agg(pollumap_v8_text(x) ORDER BY j), '[]')
                       FROM jsonb_array_elements(r -> 'reasons') WITH ORDINALITY AS u(x, j))) ORDER BY i), '[]')
                  FROM jsonb_array_elements(rejections) WITH ORDINALITY AS t(r, i));

UPDATE siting_check SET
    result = jsonb_set(result, '{unchecked}',
                       (SELECT coalesce(jsonb_agg(u || jsonb_build_object('reason', pollumap_v8_text(u -> 'reason'))
                                                  ORDER BY i), '[]')
                        FROM jsonb_array_elements(result -> 'unchecked') WITH ORDINALITY AS t(u, i)))
WHERE jsonb_typeof(result -> 'unchecked') = 'array' AND jsonb_array_length(result -> 'unchecked') > 0;

DROP FUNCTION pollumap_v8_text(jsonb);
