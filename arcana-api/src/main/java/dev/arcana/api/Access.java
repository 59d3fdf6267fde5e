package dev.arcana.api;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Who may use a view or run an action: one of some roles ({@link Identity#role()}) and all of some
 * permissions ({@link Identity#permissions()}); nothing required when both are empty. Shared by
 * {@link Graph} and {@link Mutation}, so that both refuse alike.
 */
public final class Access {
    private final Set<String> roles;
    private final Set<String> permissions;

    private Access(Set<String> roles, Set<String> permissions) {
        this.roles = Collections.unmodifiableSet(new LinkedHashSet<>(roles));
        this.permissions = Collections.unmodifiableSet(new LinkedHashSet<>(permissions));
    }

    /** Roles of which the caller must have one; empty for any role. */
    public Set<String> roles() {
        return roles;
    }

    /** Permissions the caller must all have. */
    public Set<String> permissions() {
        return permissions;
    }

    /**
     * Refuses an identity that lacks a required role or permission.
     *
     * @param what what is refused, for the message (e.g. {@code view 'audit_log'})
     * @throws ForbiddenException (403 {@code forbidden})
     */
    public void authorize(Identity identity, String what) {
        if (!roles.isEmpty() && !roles.contains(identity.role())) {
            throw new ForbiddenException(what + " requires one of the roles " + roles);
        }
        for (String permission : permissions) {
            if (!identity.hasPermission(permission)) {
                throw new ForbiddenException(what + " requires the permission '" + permission + "'");
            }
        }
    }

    /** Whether a required role or permission is blank (a definition problem). */
    boolean hasBlank() {
        return roles.stream().anyMatch(String::isBlank) || permissions.stream().anyMatch(String::isBlank);
    }

    /** Collects requirements; calls add up. */
    static final class Builder {
        private final Set<String> roles = new LinkedHashSet<>();
        private final Set<String> permissions = new LinkedHashSet<>();

        void roles(String... values) {
            for (String role : values) {
                roles.add(Objects.requireNonNull(role, "role"));
            }
        }

        void permissions(String... values) {
            for (String permission : values) {
                permissions.add(Objects.requireNonNull(permission, "permission"));
            }
        }

        Access build() {
            return new Access(roles, permissions);
        }
    }
}
