package dev.arcana.api;

/** One subscription of a seance, as {@code /active} lists it. */
public record ActiveSubscription(String view, String paramsHash, long version) {
}
