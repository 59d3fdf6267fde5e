package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A graph's required roles and permissions are checked by subscribe (and sync) before any factory runs. */
class GraphAuthorizationTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(1);
    private final AtomicInteger runs = new AtomicInteger();
    private ArcanaEngine engine;

    @BeforeEach
    void start() {
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(new RecordingTransport())
                .executor(executor).config(EngineConfig.builder().debounce(Duration.ZERO).build()).build();
        engine.register(Graph.builder("secret_tasks")
                .requiresPermission("tasks:read")
                .dependsOn(TableDependency.of("tasks", "title"))
                .factory(ctx -> {
                    runs.incrementAndGet();
                    return new Result().addRowAndRef("tasks", "1", Map.of("id", "1", "title", "t"));
                })
                .build());
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.stop();
        executor.shutdownNow();
    }

    @Test
    void subscriberWithoutThePermissionIsForbiddenAndNoFactoryRuns() {
        Identity reader = new Identity("s1", "u1", "acme", "member", Set.of("tasks:write"));
        assertThatThrownBy(() -> engine.subscribe(reader, "secret_tasks", Map.of()))
                .isInstanceOfSatisfying(ArcanaException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        // sync with params subscribes: the same check, reported per view
        assertThat(engine.sync(reader, List.of(new dev.arcana.api.SyncRequest("secret_tasks", "h", 0, Map.of()))))
                .singleElement().satisfies(entry -> assertThat(entry.error().code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThat(runs).hasValue(0);
        assertThat(engine.stats().subscriptions()).isZero();
    }

    @Test
    void subscriberWithThePermissionGetsTheView() {
        Identity reader = new Identity("s1", "u1", "acme", "member", Set.of("tasks:read"));
        engine.subscribe(reader, "secret_tasks", Map.of());
        assertThat(runs).hasValue(1);
        assertThat(engine.stats().subscriptions()).isEqualTo(1);
    }
}
