package cn.pollumap.industry;

import java.util.List;

/**
 * A GB/T 4754-2017 class (小类): its code and name, the GB/T 4754-2011 codes of the same activity, and the categories
 * the rules name that hold it.
 */
public record Industry(String code, String zh, String en, List<String> formerCodes, List<String> categories) {
}
