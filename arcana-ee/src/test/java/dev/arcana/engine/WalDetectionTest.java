package dev.arcana.engine;

import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.engine.pg.DirectConnections;
import dev.arcana.engine.pg.WalDetector;
import dev.arcana.engine.testing.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;

/** WAL mode: a publication of the users table and a slot of this test class, dropped when each engine stops. */
class WalDetectionTest extends ChangeDetectionContract {

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().isolatedSchema("detect_wal");
    }

    @Override
    ChangeDetector detector(DirectConnections connections, Registry registry) {
        WalDetector.Options defaults = WalDetector.Options.defaults("arcana_test_" + schema.name());
        return new WalDetector(connections, registry::tableDependencies, new WalDetector.Options(defaults.slot(),
                "arcana_" + schema.name(), false, Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(1),
                defaults.maxChanges(), true), Thread::new);
    }

    @Override
    String backendApplicationName() {
        return "arcana-wal";
    }
}
