package dev.arcana.api;

/**
 * Which subscribers share one query instance (and so one factory run per change). Subscribers
 * always share only within one workspace, graph and resolved params.
 */
public enum Sharing {
    /** Also the same user, role and permissions: safe for factories that read the identity. */
    IDENTITY,
    /** Everyone in the workspace: for factories that read nothing of the identity but the workspace. */
    WORKSPACE
}
