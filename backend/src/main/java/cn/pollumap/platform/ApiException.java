package cn.pollumap.platform;

import org.springframework.http.HttpStatus;

/**
 * A request the server refuses, with what is wrong ({@code error}, a stable code), a sentence for people
 * ({@code detail}, 中文 first) and where ({@code where}: the parameter, field or file entry, may be null).
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String error;
    private final String where;

    public ApiException(HttpStatus status, String error, String detail, String where) {
        super(detail);
        this.status = status;
        this.error = error;
        this.where = where;
    }

    public static ApiException badRequest(String error, String detail, String where) {
        return new ApiException(HttpStatus.BAD_REQUEST, error, detail, where);
    }

    public static ApiException unprocessable(String error, String detail, String where) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, error, detail, where);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", "未找到 / not found: " + what, null);
    }

    public static ApiException conflict(String error, String detail) {
        return new ApiException(HttpStatus.CONFLICT, error, detail, null);
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String detail() {
        return getMessage();
    }

    public String where() {
        return where;
    }
}
