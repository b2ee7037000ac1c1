package cn.pollumap.platform;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the YAML data files under the data folder (POLLUMAP_DATA_DIR), with errors that name the file and entry
 * so whoever edits them sees what to fix.
 */
public final class DataFiles {

    /** A data file that is missing or malformed; the message names the file and the entry. */
    public static class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    private DataFiles() {
    }

    public static Map<String, Object> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new Invalid("missing data file " + file.toAbsolutePath()
                    + " (set POLLUMAP_DATA_DIR to the project's data folder)");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            if (!(root instanceof Map<?, ?> map)) {
                throw new Invalid(file + ": expected a mapping at the top");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) map;
            return typed;
        } catch (IOException | RuntimeException e) {
            if (e instanceof Invalid invalid) {
                throw invalid;
            }
            throw new Invalid(file + ": " + e.getMessage());
        }
    }

    /** A required string value of an entry. */
    public static String string(Map<?, ?> entry, String key, String where) {
        Object value = entry.get(key);
        if (value == null || value.toString().isBlank()) {
            throw new Invalid(where + ": missing \"" + key + "\"");
        }
        return value.toString();
    }

    /** An optional list of strings (a single string counts as a list of one). */
    public static List<String> strings(Map<?, ?> entry, String key) {
        Object value = entry.get(key);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return List.of(value.toString());
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new Invalid(where + ": expected a mapping");
        }
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> list(Object value, String where) {
        if (!(value instanceof List<?> list)) {
            throw new Invalid(where + ": expected a list");
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?>)) {
                throw new Invalid(where + ": every item must be a mapping");
            }
        }
        return (List<Map<String, Object>>) value;
    }
}
