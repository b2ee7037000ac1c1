package cn.pollumap.violation;

/** The violation list was recomputed and committed: what is drawn from its breaches may be made again. */
public record ViolationsRecomputed() {
}
