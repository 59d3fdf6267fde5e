package dev.arcana.ee;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where identities come from ({@code arcana.identity.*}, validated when the application starts).
 *
 * <table>
 * <caption>keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code arcana.identity}</td><td>{@code application}</td><td>{@code application}: the application's
 * {@code IdentityResolver} bean; {@code container}: the container's authenticated principal
 * ({@link ContainerIdentityResolver}), any application resolver bean is then ignored</td></tr>
 * <tr><td>{@code arcana.identity.workspace-claim}</td><td>{@code workspace}</td><td>the token claim naming the
 * workspace (MicroProfile JWT)</td></tr>
 * <tr><td>{@code arcana.identity.workspace}</td><td>(none)</td><td>the workspace of a principal without that
 * claim (single-tenant applications); unset: such a principal is refused</td></tr>
 * <tr><td>{@code arcana.identity.roles}</td><td>(none)</td><td>comma-separated groups that are roles, in order of
 * precedence: the first one the principal has is its role</td></tr>
 * </table>
 */
public final class ContainerIdentitySettings {
    public static final String MODE = "arcana.identity";
    public static final String WORKSPACE_CLAIM = "arcana.identity.workspace-claim";
    public static final String WORKSPACE = "arcana.identity.workspace";
    public static final String ROLES = "arcana.identity.roles";
    static final String APPLICATION = "application";
    static final String CONTAINER = "container";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:@/-]{1,128}");

    private final boolean container;
    private final String workspaceClaim;
    private final Optional<String> workspace;
    private final List<String> roles;

    /** Reads the keys through {@code reader}, part of the one settings pass; problems are recorded there. */
    public ContainerIdentitySettings(SettingsReader reader) {
        container = CONTAINER.equals(reader.choice(MODE, APPLICATION, Set.of(APPLICATION, CONTAINER)));
        workspaceClaim = reader.text(WORKSPACE_CLAIM, "workspace");
        if (!NAME.matcher(workspaceClaim).matches()) {
            reader.problem(WORKSPACE_CLAIM + "='" + workspaceClaim + "' is not a claim name");
        }
        workspace = reader.value(WORKSPACE);
        workspace.filter(w -> !NAME.matcher(w).matches())
                .ifPresent(w -> reader.problem(WORKSPACE + "='" + w + "' is not a workspace id"));
        roles = reader.value(ROLES).map(v -> Arrays.stream(v.split(",")).map(String::trim).toList())
                .orElse(List.of());
        if (roles.stream().anyMatch(String::isEmpty)) {
            reader.problem(ROLES + " has an empty entry");
        }
    }

    /**
     * Settings from a map (tests, tools).
     *
     * @throws InvalidSettingsException naming every key with an invalid value
     */
    public static ContainerIdentitySettings of(Map<String, String> values) {
        return SettingsReader.validated(values, ContainerIdentitySettings::new);
    }

    /** Whether {@code arcana.identity=container}. */
    public boolean container() {
        return container;
    }

    public String workspaceClaim() {
        return workspaceClaim;
    }

    public Optional<String> workspace() {
        return workspace;
    }

    public List<String> roles() {
        return roles;
    }

    public String describe() {
        return MODE + "=" + (container ? CONTAINER : APPLICATION) + (container ? ", " + WORKSPACE_CLAIM + "="
                + workspaceClaim + workspace.map(w -> ", " + WORKSPACE + "=" + w).orElse("") + ", " + ROLES + "="
                + roles : "");
    }
}
