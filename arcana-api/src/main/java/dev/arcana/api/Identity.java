package dev.arcana.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking: one client session ({@code seanceId}, e.g. a browser tab) of a user in a
 * workspace (the tenant and broadcast scope), with a role and fine-grained permissions.
 */
public record Identity(String seanceId, String userId, String workspaceId, String role, Set<String> permissions) {

    public Identity {
        requireText(seanceId, "seanceId");
        requireText(userId, "userId");
        requireText(workspaceId, "workspaceId");
        role = role == null ? "" : role;
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
    }

    public Identity(String seanceId, String userId, String workspaceId) {
        this(seanceId, userId, workspaceId, "", Set.of());
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
