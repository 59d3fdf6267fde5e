package dev.arcana.example.identity;

import dev.arcana.api.Identity;
import dev.arcana.api.spi.IdentityRequest;
import dev.arcana.api.spi.IdentityResolver;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * DEMO ONLY — trusts whatever the client claims. Reads the identity from headers
 * ({@code X-Seance-ID}, {@code X-User-ID}, {@code X-Workspace-ID}, optional {@code X-Role},
 * {@code X-Permissions}) or, for browser WebSocket handshakes that cannot set headers, from the
 * query parameters {@code seance}, {@code user}, {@code workspace}, {@code role},
 * {@code permissions}; role {@code admin} also gets {@code arcana:devtools}. A real application verifies a session or token here, or sets
 * {@code arcana.identity=container} to use the server's login (this bean is then ignored).
 */
@ApplicationScoped
public class DemoIdentityResolver implements IdentityResolver {
    static final String ADMIN = "admin";
    /** Arcana's DevTools permission ({@code dev.arcana.ee.DevtoolsSettings.PERMISSION}). */
    static final String DEVTOOLS = "arcana:devtools";

    @Override
    public Optional<Identity> resolve(IdentityRequest request) {
        Optional<String> seance = value(request, "X-Seance-ID", "seance");
        Optional<String> user = value(request, "X-User-ID", "user");
        Optional<String> workspace = value(request, "X-Workspace-ID", "workspace");
        if (seance.isEmpty() || user.isEmpty() || workspace.isEmpty()) {
            return Optional.empty();
        }
        String role = value(request, "X-Role", "role").orElse("");
        Set<String> permissions = new LinkedHashSet<>();
        value(request, "X-Permissions", "permissions").ifPresent(list -> Arrays.stream(list.split(","))
                .map(String::trim).filter(p -> !p.isEmpty()).forEach(permissions::add));
        if (ADMIN.equals(role)) {
            permissions.add(DEVTOOLS); // the demo's admins see DevTools (their own workspace)
        }
        return Optional.of(new Identity(seance.get(), user.get(), workspace.get(), role, permissions));
    }

    private static Optional<String> value(IdentityRequest request, String header, String queryParameter) {
        Optional<String> fromHeader = request.header(header).filter(v -> !v.isBlank());
        return fromHeader.isPresent() ? fromHeader.map(String::trim)
                : request.queryParameter(queryParameter).filter(v -> !v.isBlank()).map(String::trim);
    }
}
