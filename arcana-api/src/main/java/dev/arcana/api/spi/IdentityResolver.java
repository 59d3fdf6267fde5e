package dev.arcana.api.spi;

import dev.arcana.api.Identity;
import java.util.Optional;

/**
 * The application's authentication: turns a request (or handshake, or auth token) into an
 * identity. Empty means refused: HTTP 401, WebSocket close 1008.
 */
@FunctionalInterface
public interface IdentityResolver {
    Optional<Identity> resolve(IdentityRequest request);
}
