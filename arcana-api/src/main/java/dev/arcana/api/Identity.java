package dev.arcana.api;

import java.util.Objects;
import java.util.Set;

/**
 * Who is asking: one client session ({@code seanceId}, e.g. a browser tab) of a user in a
 * workspace (the tenant and broadcast scope), with a role and fine-grained permissions.
 *
 * <p>A seance belongs to the identity that first used it: its {@link #owner() owner} is the user,
 * the workspace and an optional {@code binding} (e.g. the HTTP session or the token's subject a
 * resolver ties the seance to). Every call with a seance id of another owner is refused
 * ({@code forbidden}), so a seance id learnt from a URL or a reply is worth nothing to anyone else.
 *
 * @param binding what the seance is bound to besides user and workspace; empty for nothing
 */
public record Identity(String seanceId, String userId, String workspaceId, String role, Set<String> permissions,
                       String binding) {

    public Identity {
        requireText(seanceId, "seanceId");
        requireText(userId, "userId");
        requireText(workspaceId, "workspaceId");
        role = role == null ? "" : role;
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
        binding = binding == null ? "" : binding;
    }

    public Identity(String seanceId, String userId, String workspaceId, String role, Set<String> permissions) {
        this(seanceId, userId, workspaceId, role, permissions, "");
    }

    public Identity(String seanceId, String userId, String workspaceId) {
        this(seanceId, userId, workspaceId, "", Set.of(), "");
    }

    public boolean hasPermission(String permission) {
        return permissions.contains(permission);
    }

    /** This identity with its seance bound to {@code value} as well (a session id, a token subject). */
    public Identity withBinding(String value) {
        return new Identity(seanceId, userId, workspaceId, role, permissions, value);
    }

    /** Who a seance used by this identity belongs to. */
    public Owner owner() {
        return new Owner(userId, workspaceId, binding);
    }

    /** The owner of a seance: the same user in the same workspace, under the same binding. */
    public record Owner(String userId, String workspaceId, String binding) {
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
