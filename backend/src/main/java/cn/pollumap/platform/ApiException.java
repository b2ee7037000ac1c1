package cn.pollumap.platform;

import org.springframework.http.HttpStatus;

/**
 * A request the server refuses, with what is wrong ({@code error}, a stable code), a sentence for people
 * ({@code detail}, in both languages) and where ({@code where}: the parameter, field or file entry, may be null).
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String error;
    private final Text detail;
    private final String where;

    public ApiException(HttpStatus status, String error, Text detail, String where) {
        super(detail.joined());
        this.status = status;
        this.error = error;
        this.detail = detail;
        this.where = where;
    }

    public static ApiException badRequest(String error, Text detail, String where) {
        return new ApiException(HttpStatus.BAD_REQUEST, error, detail, where);
    }

    public static ApiException unprocessable(String error, Text detail, String where) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, error, detail, where);
    }

    public static ApiException notFound(Text detail) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", detail, null);
    }

    public static ApiException conflict(String error, Text detail) {
        return new ApiException(HttpStatus.CONFLICT, error, detail, null);
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public Text detail() {
        return detail;
    }

    public String where() {
        return where;
    }
}
