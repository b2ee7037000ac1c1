package cn.pollumap.platform;

import java.util.Locale;

import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The reader's language, for documents whose standards give a title one string (OGC API - Features, OpenAPI,
 * TileJSON): English when the request's Accept-Language puts English first, else Chinese.
 */
public final class Language {

    private Language() {
    }

    /** The side of {@code text} the current request reads. */
    public static String of(Text text) {
        return english() ? text.en() : text.zh();
    }

    private static boolean english() {
        if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request)) {
            return false;
        }
        String accept = request.getRequest().getHeader("Accept-Language");
        return accept != null && accept.trim().toLowerCase(Locale.ROOT).startsWith("en");
    }
}
