package dev.arcana.api;

import java.util.Map;

/**
 * One view a reconnecting client held: the version it last applied and, optionally, its params
 * so that the server can re-subscribe when it no longer holds the subscription.
 */
public record SyncRequest(String view, String paramsHash, long version, Map<String, ?> params) {
}
