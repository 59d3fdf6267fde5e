package dev.arcana.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class GraphRequirementsTest {

    private static Graph.Builder graph() {
        return Graph.builder("tasks")
                .dependsOn(TableDependency.of("tasks", "title"))
                .factory(context -> new Result());
    }

    private static Identity who(String role, String... permissions) {
        return new Identity("s", "u", "acme", role, Set.of(permissions));
    }

    @Test
    void graphWithoutRequirementsAdmitsAnyone() {
        Graph open = graph().build();
        assertThat(open.requiredRoles()).isEmpty();
        assertThat(open.requiredPermissions()).isEmpty();
        assertThatCode(() -> open.authorize(who(""))).doesNotThrowAnyException();
    }

    @Test
    void missingPermissionIsForbiddenAndNamesIt() {
        Graph guarded = graph().requiresPermission("tasks:read", "tasks:list").build();
        assertThatCode(() -> guarded.authorize(who("member", "tasks:read", "tasks:list", "x")))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> guarded.authorize(who("admin", "tasks:read")))
                .isInstanceOfSatisfying(ArcanaException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.code().httpStatus()).isEqualTo(403);
                })
                .hasMessage("view 'tasks' requires the permission 'tasks:list'");
    }

    @Test
    void anyOfTheRequiredRolesWillDo() {
        Graph guarded = graph().requiresRole("admin").requiresRole("owner").build();
        assertThat(guarded.requiredRoles()).containsExactly("admin", "owner");
        assertThatCode(() -> guarded.authorize(who("owner"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> guarded.authorize(who("member", "admin")))
                .isInstanceOfSatisfying(ArcanaException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessage("view 'tasks' requires one of the roles [admin, owner]");
    }

    @Test
    void blankRequirementIsAProblem() {
        assertThat(graph().requiresPermission(" ").build().problems())
                .containsExactly("graph 'tasks': a required role or permission is blank");
        assertThat(graph().requiresRole("").build().problems()).hasSize(1);
    }
}
