package cn.pollumap.platform;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Faults on the server's side, as refusals that say who must act: the database is unavailable (503, retry later),
 * the disk is full (507, an administrator must free space), GDAL crashed or ran too long (500, naming GDAL), or
 * anything else (500). None of them blames the user's file.
 */
public final class Faults {

    /** What a 503 asks clients to wait before trying again (the Retry-After header). */
    public static final int RETRY_AFTER_SECONDS = 30;

    /** PostgreSQL states meaning the server is gone, going or refusing connections (classes 08 and 57P, 53300). */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final String DISK_FULL_STATE = "53100";
    private static final String NO_SPACE = "No space left on device";
    /** libpq's and PostgreSQL's words for a server that cannot be reached or went away. */
    private static final Pattern DATABASE_GONE = Pattern.compile("could not connect to server|connection to server at"
            + "|Connection refused|server closed the connection unexpectedly|no connection to the server"
            + "|could not send data to server|terminating connection due to administrator command"
            + "|the database system is (?:shutting down|starting up|in recovery mode)|SSL SYSCALL error");

    private Faults() {
    }

    public static ApiException databaseUnavailable() {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable", Text.of(
                "数据库暂时不可用，请约 " + RETRY_AFTER_SECONDS + " 秒后重试",
                "the database is unavailable for the moment; try again in about " + RETRY_AFTER_SECONDS + " seconds"),
                null);
    }

    public static ApiException diskFull() {
        return new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "disk_full", Text.of(
                "服务器磁盘已满：请管理员释放磁盘空间后重试",
                "the server's disk is full: an administrator must free space, then try again"), null);
    }

    /** GDAL's {@code tool} crashed or ran past its limit ({@code what} says which): the server's fault, not the file's. */
    public static ApiException gdal(String tool, Text what) {
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "gdal_failed", Text.of(
                "服务器上的 GDAL（" + tool + "）" + what.zh() + "：这不是文件的问题，请管理员查看服务器日志",
                "GDAL (" + tool + ") " + what.en() + " on the server: this is not the file's fault; an administrator "
                        + "should look at the server log"), null);
    }

    public static ApiException internal() {
        return new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "internal_error",
                Text.of("服务器内部错误，已记录日志", "internal error, logged on the server"), null);
    }

    /** The refusal for an unexpected failure: disk full, database unavailable, GDAL failed, else an internal error. */
    public static ApiException of(Throwable e) {
        if (diskFull(e)) {
            return diskFull();
        }
        if (databaseUnavailable(e)) {
            return databaseUnavailable();
        }
        return e instanceof Gdal.ToolFailure tool ? gdal(tool.tool(), tool.what()) : internal();
    }

    /** True when {@code e} comes from a database that cannot be reached or is shutting down. */
    public static boolean databaseUnavailable(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientConnectionException || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || UNAVAILABLE_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof ApiException api && api.status() == HttpStatus.SERVICE_UNAVAILABLE) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code e} comes from a full disk, the server's own or the database's. */
    public static boolean diskFull(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof SQLException sql && DISK_FULL_STATE.equals(sql.getSQLState())
                    || t.getMessage() != null && t.getMessage().contains(NO_SPACE)) {
                return true;
            }
        }
        return false;
    }

    /** True when what a tool printed says the disk is full (its own, or the database's). */
    public static boolean saysDiskFull(String output) {
        return output.contains(NO_SPACE) || output.contains("could not extend file");
    }

    /** True when what a tool printed says the database could not be reached, or went away while it worked. */
    public static boolean saysDatabaseUnavailable(String output) {
        return DATABASE_GONE.matcher(output).find();
    }

    /** Worth trying again later: the database is unavailable, or the failure is transient (a deadlock, a timeout). */
    public static boolean transientFault(Throwable e) {
        for (Throwable t : causes(e)) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException) {
                return true;
            }
        }
        return databaseUnavailable(e);
    }

    /**
     * {@code e} and its causes, and the failure a rollback hid: when the database goes away mid-transaction the
     * rollback fails too ("Connection is closed", no SQL state), and only the exception it overrode tells why.
     */
    private static List<Throwable> causes(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable t = e; t != null && !all.contains(t); t = t.getCause()) {
            all.add(t);
            if (t instanceof TransactionSystemException rollback && rollback.getApplicationException() != null) {
                all.addAll(causes(rollback.getApplicationException()));
            }
        }
        return all;
    }
}
