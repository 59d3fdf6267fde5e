package dev.arcana.arquillian.app;

import dev.arcana.api.Identity;
import dev.arcana.api.spi.IdentityRequest;
import dev.arcana.api.spi.IdentityResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** TEST ONLY: the identity from the headers X-Seance-ID, X-User-ID, X-Workspace-ID. */
@ApplicationScoped
public class TestIdentityResolver implements IdentityResolver {

    @Override
    public Optional<Identity> resolve(IdentityRequest request) {
        Optional<String> seance = request.header("X-Seance-ID");
        Optional<String> user = request.header("X-User-ID");
        Optional<String> workspace = request.header("X-Workspace-ID");
        if (seance.isEmpty() || user.isEmpty() || workspace.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Identity(seance.get(), user.get(), workspace.get()));
    }
}
