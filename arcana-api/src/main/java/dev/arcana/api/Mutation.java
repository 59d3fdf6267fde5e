package dev.arcana.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A named server action: its key, its <em>strict</em> param schema (a param it does not declare is
 * refused, 400 {@code invalid_params}), the roles or permissions a caller needs, and the handler
 * that runs it in one transaction. Build with {@link #builder(String)}; {@link #problems()} lists
 * what is wrong with a definition.
 */
public final class Mutation {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final String key;
    private final ParamSchema params;
    private final MutationHandler handler;
    private final Access access;

    private Mutation(Builder builder) {
        this.key = builder.key;
        this.params = ParamSchema.of(builder.params);
        this.handler = builder.handler;
        this.access = builder.access.build();
    }

    public static Builder builder(String key) {
        return new Builder(key);
    }

    public String key() {
        return key;
    }

    public ParamSchema params() {
        return params;
    }

    public MutationHandler handler() {
        return handler;
    }

    /** Roles of which the caller must have one ({@link Identity#role()}); empty for any role. */
    public Set<String> requiredRoles() {
        return access.roles();
    }

    /** Permissions the caller must all have ({@link Identity#permissions()}). */
    public Set<String> requiredPermissions() {
        return access.permissions();
    }

    /**
     * The params of a call, strictly: unknown params are refused, as are missing required ones and
     * values of the wrong type or out of range.
     *
     * @throws InvalidParamsException (400 {@code invalid_params}) naming the first bad param
     */
    public Params resolve(Map<String, ?> raw) {
        return params.resolve(raw, true);
    }

    /**
     * Refuses an identity this mutation does not admit, before the handler runs.
     *
     * @throws ForbiddenException (403) when the identity lacks a required role or permission
     */
    public void authorize(Identity identity) {
        access.authorize(identity, "action '" + key + "'");
    }

    /** Everything wrong with this definition; empty when it can be registered. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        String where = key == null || key.isBlank() ? "mutation with an empty key" : "mutation '" + key + "'";
        if (key == null || key.isBlank()) {
            problems.add("a mutation has an empty key");
        } else if (!KEY.matcher(key).matches()) {
            problems.add(where + ": key may only use letters, digits and _ . : - (at most 128)");
        }
        params.problems().forEach(p -> problems.add(where + ": " + p));
        if (access.hasBlank()) {
            problems.add(where + ": a required role or permission is blank");
        }
        if (handler == null) {
            problems.add(where + ": has no handler");
        }
        return problems;
    }

    @Override
    public String toString() {
        return "Mutation[" + key + "]";
    }

    /** Fluent builder; {@link #build()} checks only for nulls, {@link Mutation#problems()} for the rest. */
    public static final class Builder {
        private final String key;
        private final Map<String, Param> params = new LinkedHashMap<>();
        private MutationHandler handler;
        private final Access.Builder access = new Access.Builder();

        private Builder(String key) {
            this.key = key;
        }

        public Builder param(String name, Param spec) {
            params.put(name, Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /** Admits only callers with one of these roles (calls add up: any listed role will do). */
        public Builder requiresRole(String... roles) {
            access.roles(roles);
            return this;
        }

        /** Admits only callers holding every one of these permissions (calls add up). */
        public Builder requiresPermission(String... permissions) {
            access.permissions(permissions);
            return this;
        }

        public Builder handler(MutationHandler handler) {
            this.handler = handler;
            return this;
        }

        public Mutation build() {
            return new Mutation(this);
        }
    }
}
