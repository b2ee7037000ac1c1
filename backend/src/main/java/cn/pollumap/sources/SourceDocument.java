package cn.pollumap.sources;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;

import cn.pollumap.platform.Text;

/**
 * A law, regulation, policy document or plan the rules quote, as {@code data/sources} holds it: what it is, its
 * version and the days between which it counts ({@code inForce} inclusive, {@code until} exclusive; a draft has no
 * {@code inForce}), and its text — articles by heading for laws, lines for plans.
 */
public record SourceDocument(String id, String title, String titleEn, String kind, String issuer, String docNo,
                             String version, LocalDate adopted, LocalDate inForce, LocalDate until,
                             String supersededBy, Text caveat, Text dateNote,
                             @JsonIgnore Map<String, String> articles, @JsonIgnore List<String> lines) {

    public boolean inForceOn(LocalDate day) {
        return inForce != null && !day.isBefore(inForce) && (until == null || day.isBefore(until));
    }

    /** Why the document does not count on {@code day}; empty when it does. */
    public Optional<Text> notInForceReason(LocalDate day, Map<String, SourceDocument> library) {
        if (inForceOn(day)) {
            return Optional.empty();
        }
        String name = "《" + title + "》（" + version + "）";
        if (inForce == null) {
            return Optional.of(Text.of(name + "为" + kind + "，未正式施行",
                    "\"" + title + "\" (" + version + ") is a " + kindEn() + " and never took effect"));
        }
        if (day.isBefore(inForce)) {
            return Optional.of(Text.of(name + "自" + inForce + "起施行，核查日（" + day + "）尚未施行",
                    "\"" + title + "\" (" + version + ") takes effect on " + inForce + ", after the check day " + day));
        }
        SourceDocument successor = supersededBy == null ? null : library.get(supersededBy);
        return Optional.of(Text.of(name + "自" + until + "起不再有效" + (successor == null ? ""
                        : "，由《" + successor.title() + "》取代"),
                "\"" + title + "\" (" + version + ") ceased to apply on " + until + (successor == null ? ""
                        : ", replaced by \"" + successor.title() + "\"")));
    }

    /** The document as a citation names it: 《title》（version）. */
    public Text label() {
        return Text.of("《" + title + "》（" + version + "）", (titleEn == null ? "\"" + title + "\"" : titleEn)
                + " (" + version + ")");
    }

    private String kindEn() {
        return switch (kind) {
            case "征求意见稿" -> "draft for comment";
            case "规划" -> "plan";
            case "法律" -> "law";
            case "行政法规" -> "administrative regulation";
            case "部门规章" -> "departmental rule";
            case "地方性法规" -> "local regulation";
            default -> "policy document";
        };
    }
}
