package dev.arcana.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.Identity;
import dev.arcana.api.spi.IdentityRequest;
import jakarta.json.Json;
import java.security.Principal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerIdentityResolverTest {

    /** The shape of MicroProfile JWT's JsonWebToken, read by the resolver through its public methods. */
    public interface TokenPrincipal extends Principal {
        Set<String> getGroups();

        <T> T getClaim(String name);
    }

    private static TokenPrincipal token(String name, Map<String, Object> claims, String... groups) {
        return new TokenPrincipal() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public Set<String> getGroups() {
                return Set.of(groups);
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T getClaim(String claim) {
                return (T) claims.get(claim);
            }
        };
    }

    private static IdentityRequest request(Principal principal, Map<String, String> headers,
                                           Map<String, String> query) {
        return new IdentityRequest() {
            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(headers.get(name));
            }

            @Override
            public Optional<String> queryParameter(String name) {
                return Optional.ofNullable(query.get(name));
            }

            @Override
            public Optional<String> cookie(String name) {
                return Optional.empty();
            }

            @Override
            public Optional<Principal> principal() {
                return Optional.ofNullable(principal);
            }
        };
    }

    private static ContainerIdentityResolver resolver(Map<String, String> config) {
        return new ContainerIdentityResolver(ContainerIdentitySettings.of(config));
    }

    @Test
    void tokenGivesUserWorkspaceRolePermissionsAndBinding() {
        ContainerIdentityResolver resolver = resolver(Map.of("arcana.identity", "container",
                "arcana.identity.roles", "admin,member"));
        TokenPrincipal ada = token("ada", Map.of("workspace", Json.createValue("acme")), "member", "tasks:read");

        Identity identity = resolver.resolve(request(ada, Map.of("X-Seance-ID", "tab-1",
                // the demo headers are not consulted: only the login counts
                "X-User-ID", "mallory", "X-Workspace-ID", "globex", "X-Role", "admin"), Map.of())).orElseThrow();

        assertThat(identity).isEqualTo(new Identity("tab-1", "ada", "acme", "member",
                Set.of("member", "tasks:read"), "ada"));
    }

    @Test
    void seanceMayComeFromTheQueryAndWorkspaceClaimIsConfigurable() {
        ContainerIdentityResolver resolver = resolver(Map.of("arcana.identity.workspace-claim", "tenant"));
        TokenPrincipal ada = token("ada", Map.of("tenant", "globex", "workspace", "acme"));

        Identity identity = resolver.resolve(request(ada, Map.of(), Map.of("seance", "ws-1"))).orElseThrow();

        assertThat(identity.seanceId()).isEqualTo("ws-1");
        assertThat(identity.workspaceId()).isEqualTo("globex");
        assertThat(identity.role()).isEmpty();
    }

    @Test
    void plainPrincipalUsesTheFixedWorkspaceAndHasNoGroups() {
        Principal basic = () -> "bob";
        assertThat(resolver(Map.of()).resolve(request(basic, Map.of("X-Seance-ID", "s"), Map.of()))).isEmpty();

        Identity identity = resolver(Map.of("arcana.identity.workspace", "acme"))
                .resolve(request(basic, Map.of("X-Seance-ID", "s"), Map.of())).orElseThrow();
        assertThat(identity).isEqualTo(new Identity("s", "bob", "acme", "", Set.of(), "bob"));
    }

    @Test
    void noLoginNoSeanceOrAHostileSeanceIdIsRefused() {
        ContainerIdentityResolver resolver = resolver(Map.of("arcana.identity.workspace", "acme"));
        TokenPrincipal ada = token("ada", Map.of());
        assertThat(resolver.resolve(request(null, Map.of("X-Seance-ID", "s",
                "X-User-ID", "ada", "X-Workspace-ID", "acme"), Map.of()))).isEmpty();
        assertThat(resolver.resolve(request(ada, Map.of(), Map.of()))).isEmpty();
        assertThat(resolver.resolve(request(ada, Map.of("X-Seance-ID", "a/../b\u0000"), Map.of()))).isEmpty();
        assertThat(resolver.resolve(request(ada, Map.of("X-Seance-ID", "s".repeat(129)), Map.of()))).isEmpty();
    }

    @Test
    void settingsAreValidatedAllAtOnce() {
        assertThatThrownBy(() -> ContainerIdentitySettings.of(Map.of(
                "arcana.identity", "ldap", "arcana.identity.workspace-claim", "a b",
                "arcana.identity.roles", "admin,,member")))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems()).containsExactly(
                        "arcana.identity='ldap' must be one of [application, container]",
                        "arcana.identity.workspace-claim='a b' is not a claim name",
                        "arcana.identity.roles has an empty entry"));
        assertThat(ContainerIdentitySettings.of(Map.of()).container()).isFalse();
        assertThat(ContainerIdentitySettings.of(Map.of("arcana.identity", "CONTAINER")).container()).isTrue();
    }
}
