package cn.pollumap.industry;

import java.util.List;

/** A GB/T 4754-2017 class as the region needs it, with the categories the rules name. */
public record Industry(String code, String zh, String en, List<String> formerCodes, List<String> categories) {
}
