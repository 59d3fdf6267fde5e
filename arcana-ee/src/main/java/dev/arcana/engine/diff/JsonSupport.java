package dev.arcana.engine.diff;

import jakarta.json.spi.JsonProvider;

/**
 * The one {@link JsonProvider} of this package.
 *
 * <p>Every {@code Json.createX()} call runs {@code JsonProvider.provider()}, i.e. a ServiceLoader
 * lookup, which dominates the cost of building small objects such as patch ops. Diffs are built on
 * every change of every view, so the provider is looked up once and reused (providers are
 * thread-safe).
 */
public final class JsonSupport {

    private static final JsonProvider PROVIDER = JsonProvider.provider();

    private JsonSupport() {
    }

    public static JsonProvider provider() {
        return PROVIDER;
    }
}
