package dev.arcana.ee;

import dev.arcana.api.Identity;
import dev.arcana.api.spi.IdentityRequest;
import dev.arcana.api.spi.IdentityResolver;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The identity of the container's own login ({@code arcana.identity=container}): the principal the
 * server authenticated (Jakarta Security, MicroProfile JWT, a basic or form login), so REST
 * endpoints, WebSocket handshakes and live views share one login.
 *
 * <ul>
 *   <li>user: the principal's name; the seance is bound to it ({@link Identity#binding()}), so a
 *       seance id is worth nothing to another subject;</li>
 *   <li>workspace: the {@code arcana.identity.workspace-claim} claim of a MicroProfile JWT, else the
 *       fixed {@code arcana.identity.workspace}; neither → refused;</li>
 *   <li>permissions: the token's groups; role: the first of {@code arcana.identity.roles} among them;</li>
 *   <li>seance: still the client's choice, from the {@code X-Seance-ID} header or the {@code seance}
 *       query parameter (the engine refuses a seance of another identity).</li>
 * </ul>
 *
 * <p>Headers or parameters naming a user or workspace are ignored: only the login counts. The
 * JWT is read through its public methods ({@code getGroups}, {@code getClaim}), so this module
 * needs no MicroProfile JWT dependency; other principals have no groups.
 */
public final class ContainerIdentityResolver implements IdentityResolver {
    static final String SEANCE_HEADER = "X-Seance-ID";
    static final String SEANCE_PARAMETER = "seance";
    /** Seance ids are echoed in URLs and frames: a bounded, plain alphabet. */
    private static final java.util.regex.Pattern SEANCE = java.util.regex.Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final ContainerIdentitySettings settings;

    public ContainerIdentityResolver(ContainerIdentitySettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public Optional<Identity> resolve(IdentityRequest request) {
        Optional<Principal> principal = request.principal().filter(p -> p.getName() != null && !p.getName().isBlank());
        if (principal.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> seance = request.header(SEANCE_HEADER).or(() -> request.queryParameter(SEANCE_PARAMETER))
                .filter(s -> SEANCE.matcher(s).matches());
        Optional<String> workspace = claim(principal.get(), settings.workspaceClaim()).or(settings::workspace);
        if (seance.isEmpty() || workspace.isEmpty()) {
            return Optional.empty();
        }
        Set<String> groups = groups(principal.get());
        String role = settings.roles().stream().filter(groups::contains).findFirst().orElse("");
        String user = principal.get().getName();
        return Optional.of(new Identity(seance.get(), user, workspace.get(), role, groups).withBinding(user));
    }

    /** A MicroProfile JWT's {@code getGroups()}; empty for other principals. */
    static Set<String> groups(Principal principal) {
        Object value = invoke(principal, "getGroups", new Class<?>[0]);
        Set<String> groups = new LinkedHashSet<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(group -> {
                if (group != null && !group.toString().isBlank()) {
                    groups.add(group.toString());
                }
            });
        }
        return groups;
    }

    /** A MicroProfile JWT's {@code getClaim(name)} as text (a JSON string is unquoted); empty otherwise. */
    static Optional<String> claim(Principal principal, String name) {
        Object value = invoke(principal, "getClaim", new Class<?>[] {String.class}, name);
        if (value instanceof jakarta.json.JsonString json) {
            value = json.getString();
        }
        return value instanceof CharSequence text && !text.toString().isBlank()
                ? Optional.of(text.toString().trim()) : Optional.empty();
    }

    private static Object invoke(Principal principal, String method, Class<?>[] types, Object... args) {
        try {
            // through a public interface (JsonWebToken): the implementation class may not be accessible
            Method found = publicMethod(principal.getClass(), method, types);
            return found == null ? null : found.invoke(principal, args);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // a principal whose claims cannot be read grants nothing
            return null;
        }
    }

    private static Method publicMethod(Class<?> type, String name, Class<?>[] types) {
        for (Class<?> current = type; current != null; current = current.getSuperclass()) {
            for (Class<?> contract : current.getInterfaces()) {
                try {
                    return contract.getMethod(name, types);
                } catch (NoSuchMethodException e) {
                    // not this interface
                }
            }
        }
        try {
            return java.lang.reflect.Modifier.isPublic(type.getModifiers()) ? type.getMethod(name, types) : null;
        } catch (NoSuchMethodException e) {
            return null; // not a JWT principal
        }
    }
}
