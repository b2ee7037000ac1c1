package cn.pollumap.platform;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.stereotype.Component;

/**
 * With {@code POLLUMAP_SQL_LOG=true}, every statement the server sends to PostgreSQL is logged (logger
 * {@code cn.pollumap.sql}) as SQL that runs as it stands: parameters written in as literals, transactions as BEGIN,
 * COMMIT and ROLLBACK, each line ending in a semicolon. An administrator can EXPLAIN what a slow request ran, and
 * {@code bin/benchmark} runs a siting check's statements raw with pgbench beside the same check over HTTP. Off by
 * default: then the data source is not wrapped at all.
 */
@Component
@ConditionalOnProperty(name = "pollumap.sql-log", havingValue = "true")
class SqlLog implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger("cn.pollumap.sql");
    private static final java.util.regex.Pattern DOLLAR_QUOTE = java.util.regex.Pattern.compile("\\$[A-Za-z_]*\\$");

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        if (!(bean instanceof DataSource dataSource) || bean instanceof DelegatingDataSource) {
            return bean;
        }
        return new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws java.sql.SQLException {
                return connection(super.getConnection());
            }

            @Override
            public Connection getConnection(String user, String password) throws java.sql.SQLException {
                return connection(super.getConnection(user, password));
            }
        };
    }

    private static Connection connection(Connection target) {
        return (Connection) proxy(Connection.class, (method, args) -> {
            switch (method.getName()) {
                case "setAutoCommit" -> {
                    if (!(Boolean) args[0] && target.getAutoCommit()) {
                        log.info("BEGIN;");
                    }
                }
                case "commit" -> log.info("COMMIT;");
                case "rollback" -> {
                    if (args == null || args.length == 0) {
                        log.info("ROLLBACK;");
                    }
                }
                default -> {
                }
            }
            Object result = method.invoke(target, args);
            if (result instanceof PreparedStatement ps && method.getName().equals("prepareStatement")) {
                return (PreparedStatement) statement(ps, (String) args[0]);
            }
            if (result instanceof Statement s && method.getName().equals("createStatement")) {
                return statement(s, null);
            }
            return result;
        });
    }

    private static Statement statement(Statement target, String sql) {
        Map<Integer, Object> values = new TreeMap<>();
        return (Statement) proxy(sql == null ? Statement.class : PreparedStatement.class, (method, args) -> {
            String name = method.getName();
            if (name.startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer index
                    && !name.equals("setFetchSize") && !name.equals("setMaxRows") && !name.equals("setQueryTimeout")) {
                values.put(index, name.equals("setNull") ? null : args[1]);
            } else if (name.equals("clearParameters")) {
                values.clear();
            } else if (name.equals("addBatch") || name.startsWith("execute") && !name.equals("executeBatch")) {
                // a batch is logged row by row, as its rows are added
                log.info("{};", sql == null ? args[0] : inline(sql, values));
            }
            return method.invoke(target, args);
        });
    }

    /**
     * The statement on one line, each {@code ?} outside quotes, comments and dollar quotes replaced by its value as a
     * literal; comments left out.
     */
    static String inline(String sql, Map<Integer, Object> values) {
        StringBuilder out = new StringBuilder(sql.length() + 64);
        int parameter = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"') {
                end = sql.indexOf(c, i + 1);
                while (end > 0 && end + 1 < sql.length() && sql.charAt(end + 1) == c) {
                    end = sql.indexOf(c, end + 2);
                }
            } else if (c == '$' && DOLLAR_QUOTE.matcher(sql).region(i, sql.length()).lookingAt()) {
                String tag = sql.substring(i, sql.indexOf('$', i + 1) + 1);
                end = sql.indexOf(tag, i + tag.length()) + tag.length() - 1;
            } else if (sql.startsWith("--", i) || sql.startsWith("/*", i)) {
                int close = c == '-' ? sql.indexOf('\n', i) : sql.indexOf("*/", i) + 1;
                i = close < i ? sql.length() : close;
                space(out);
                continue;
            } else if (Character.isWhitespace(c)) {
                space(out);
                continue;
            } else {
                out.append(c == '?' ? literal(values.get(++parameter)) : String.valueOf(c));
                continue;
            }
            end = end < i ? sql.length() - 1 : end;
            out.append(sql, i, end + 1);
            i = end;
        }
        return out.toString().strip();
    }

    /** White space outside literals as one space. */
    private static void space(StringBuilder out) {
        if (!out.isEmpty() && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
        }
    }

    private static String literal(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            return quote(value.toString()) + "::float8";
        }
        if (value instanceof Number || value instanceof Boolean) {
            String text = value.toString();
            return text.startsWith("-") ? "(" + text + ")" : text;
        }
        if (value instanceof Object[] array) {
            StringBuilder text = new StringBuilder("{");
            for (int i = 0; i < array.length; i++) {
                text.append(i == 0 ? "" : ",").append(array[i] == null ? "NULL"
                        : '"' + array[i].toString().replace("\\", "\\\\").replace("\"", "\\\"") + '"');
            }
            return quote(text.append('}').toString());
        }
        if (value instanceof byte[] bytes) {
            return "'\\x" + java.util.HexFormat.of().formatHex(bytes) + "'::bytea";
        }
        // text, dates and times, and anything else PostgreSQL reads from its text form
        return quote(value.toString());
    }

    /** A string literal on one line: with an escape string where the text holds a line break or a backslash. */
    private static String quote(String text) {
        if (text.indexOf('\n') < 0 && text.indexOf('\r') < 0 && text.indexOf('\\') < 0) {
            return "'" + text.replace("'", "''") + "'";
        }
        return "E'" + text.replace("\\", "\\\\").replace("'", "''").replace("\n", "\\n").replace("\r", "\\r") + "'";
    }

    private interface Call {
        Object on(Method method, Object[] args) throws Throwable;
    }

    private static Object proxy(Class<?> type, Call call) {
        InvocationHandler handler = (p, method, args) -> {
            try {
                return call.on(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return Proxy.newProxyInstance(SqlLog.class.getClassLoader(), new Class<?>[] {type}, handler);
    }
}
