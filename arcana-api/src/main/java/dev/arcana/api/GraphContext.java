package dev.arcana.api;

/**
 * What a factory run sees: the identity it runs for, the resolved params and a querier on the
 * application's database. The identity is that of the instance's first subscriber; all
 * subscribers of an instance share workspace (and, with {@link Sharing#IDENTITY}, user, role
 * and permissions), never the seance: factories must not depend on the seance id.
 */
public interface GraphContext {
    Identity identity();

    Params params();

    Querier querier();

    default String workspaceId() {
        return identity().workspaceId();
    }

    default String userId() {
        return identity().userId();
    }

    /** Throws {@link ForbiddenException} unless the identity holds {@code permission}. */
    default void requirePermission(String permission) {
        if (!identity().hasPermission(permission)) {
            throw new ForbiddenException("permission '" + permission + "' required");
        }
    }
}
