package cn.pollumap.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.sql.SQLException;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.TransactionSystemException;

/** Server-side faults say who must act, and never blame the user's file. */
class FaultsTest {

    @Test
    void aDatabaseThatIsGoneIs503() {
        for (String state : new String[] {"08006", "08001", "57P01", "57P03"}) {
            ApiException answer = Faults.of(new DataAccessResourceFailureException("x", new SQLException("gone", state)));
            assertThat(answer.status()).as(state).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(answer.error()).isEqualTo("database_unavailable");
            assertThat(answer.detail().en()).contains("try again in about 30 seconds");
        }
        // the database went away mid-transaction: the rollback fails too, and hides why
        TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollback.initApplicationException(new DataAccessResourceFailureException("x", new SQLException("I/O", "08006")));
        assertThat(Faults.transientFault(rollback)).isTrue();
        assertThat(Faults.of(rollback).error()).isEqualTo("database_unavailable");
        assertThat(Faults.transientFault(new TransactionSystemException("JDBC rollback failed"))).isFalse();
        assertThat(Faults.saysDatabaseUnavailable("ERROR 1: COPY statement failed.\nserver closed the connection unexpectedly"))
                .isTrue();
        assertThat(Faults.saysDatabaseUnavailable("ERROR 1: Unable to open datasource")).isFalse();
    }

    @Test
    void aFullDiskIs507() {
        assertThat(Faults.of(new UncheckedIOException(new FileSystemException("/x", null, "No space left on device")))
                .status()).isEqualTo(HttpStatus.INSUFFICIENT_STORAGE);
        assertThat(Faults.of(new DataAccessResourceFailureException("x", new SQLException("could not extend", "53100")))
                .error()).isEqualTo("disk_full");
        assertThat(Faults.saysDiskFull("ERROR:  could not extend file \"base/1/2\": No space left on device")).isTrue();
    }

    @Test
    void gdalThatCrashedOrRanTooLongIs500NamingGdal() {
        ApiException answer = Faults.of(new Gdal.ToolFailure("ogr2ogr", Text.of("异常终止（信号 9）", "crashed (signal 9)"), null));
        assertThat(answer.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(answer.error()).isEqualTo("gdal_failed");
        assertThat(answer.detail().en()).contains("GDAL (ogr2ogr) crashed (signal 9)", "not the file's fault");
        assertThat(answer.detail().zh()).contains("GDAL（ogr2ogr）异常终止");
    }

    @Test
    void anythingElseIsAnInternalError() {
        assertThat(Faults.of(new IllegalStateException(new IOException("boom"))).error()).isEqualTo("internal_error");
        assertThat(Faults.transientFault(new IllegalStateException("boom"))).isFalse();
        assertThat(Faults.transientFault(new DataAccessResourceFailureException("x", new SQLException("gone", "08006"))))
                .isTrue();
    }
}
