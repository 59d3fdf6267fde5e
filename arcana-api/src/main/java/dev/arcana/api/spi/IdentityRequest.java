package dev.arcana.api.spi;

import java.security.Principal;
import java.util.Optional;

/** What an identity resolver can read from an HTTP request or a WebSocket handshake. */
public interface IdentityRequest {

    Optional<String> header(String name);

    Optional<String> queryParameter(String name);

    Optional<String> cookie(String name);

    /** The container-authenticated principal, if any. */
    Optional<Principal> principal();

    /** A token sent in a WebSocket {@code auth} frame, if this is one. */
    default Optional<String> token() {
        return Optional.empty();
    }
}
