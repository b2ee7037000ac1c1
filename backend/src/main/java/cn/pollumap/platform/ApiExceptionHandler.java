package cn.pollumap.platform;

import java.util.LinkedHashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every refusal leaves as JSON {@code {"error", "detail": {"zh", "en"}, "where"}}; no stack trace ever reaches a
 * client.
 */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    public static Map<String, Object> body(String error, Text detail, String where) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("detail", detail);
        if (where != null) {
            body.put("where", where);
        }
        return body;
    }

    private static ResponseEntity<Map<String, Object>> respond(HttpStatusCode status, String error, Text detail,
                                                               String where) {
        var response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (status.value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
            response.header("Retry-After", String.valueOf(Faults.RETRY_AFTER_SECONDS));
        }
        return response.body(body(error, detail, where));
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, Object>> api(ApiException e) {
        return respond(e.status(), e.error(), e.detail(), e.where());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<Map<String, Object>> tooLarge(MaxUploadSizeExceededException e) {
        return respond(HttpStatus.CONTENT_TOO_LARGE, "file_too_large",
                Text.of("上传文件超过大小限制（POLLUMAP_MAX_UPLOAD_SIZE）",
                        "the upload is larger than the limit (POLLUMAP_MAX_UPLOAD_SIZE)"), "file");
    }

    @ExceptionHandler(MissingServletRequestPartException.class)
    ResponseEntity<Map<String, Object>> missingPart(MissingServletRequestPartException e) {
        return respond(HttpStatus.BAD_REQUEST, "missing_parameter",
                Text.of("缺少参数：" + e.getRequestPartName(), "missing part: " + e.getRequestPartName()),
                e.getRequestPartName());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<Map<String, Object>> missingParameter(MissingServletRequestParameterException e) {
        return respond(HttpStatus.BAD_REQUEST, "missing_parameter",
                Text.of("缺少参数：" + e.getParameterName(), "missing parameter: " + e.getParameterName()),
                e.getParameterName());
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<Map<String, Object>> multipart(MultipartException e) {
        return respond(HttpStatus.BAD_REQUEST, "bad_multipart",
                Text.of("请求不是有效的 multipart/form-data 上传", "not a valid multipart upload"), null);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Map<String, Object>> typeMismatch(MethodArgumentTypeMismatchException e) {
        return respond(HttpStatus.BAD_REQUEST, "bad_parameter",
                Text.of("参数格式错误：" + e.getName(), "malformed value for " + e.getName()), e.getName());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(HttpMessageNotReadableException e) {
        return respond(HttpStatus.BAD_REQUEST, "malformed_json",
                Text.of("请求体不是有效的 JSON", "the request body is not valid JSON"), "body");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, Object>> mediaType(HttpMediaTypeNotSupportedException e) {
        return respond(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                Text.of("不支持的内容类型：" + e.getContentType(), "unsupported content type: " + e.getContentType()),
                null);
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    ResponseEntity<Map<String, Object>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return respond(HttpStatus.NOT_ACCEPTABLE, "not_acceptable",
                Text.of("无法提供所要求的格式", "cannot produce the requested format"), null);
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
        return respond(HttpStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                Text.of("不支持的请求方法：" + e.getMethod(), "method not allowed: " + e.getMethod()), null);
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, Object>> noResource(NoResourceFoundException e) {
        return respond(HttpStatus.NOT_FOUND, "not_found",
                Text.of("未找到：" + Text.quoted("/" + e.getResourcePath()),
                        "not found: " + Text.quoted("/" + e.getResourcePath())), null);
    }

    /** Anything else: the database unavailable (503), the disk full (507), or an error of the server's (500). */
    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        ApiException fault = Faults.of(e);
        if (fault.status() == HttpStatus.INTERNAL_SERVER_ERROR) {
            log.error("unexpected error", e);
        } else {
            log.warn("{}: {}", fault.error(), e.getMessage());
        }
        return api(fault);
    }
}
