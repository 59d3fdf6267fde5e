package dev.arcana.engine;

import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.engine.pg.DirectConnections;
import dev.arcana.engine.pg.NotifyDetector;
import dev.arcana.engine.testing.TestDatabase;
import org.junit.jupiter.api.BeforeAll;

/** Trigger mode: triggers installed by the detector, LISTEN on a dedicated connection. */
class NotifyDetectionTest extends ChangeDetectionContract {

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().isolatedSchema("detect_notify");
    }

    @Override
    ChangeDetector detector(DirectConnections connections, Registry registry) {
        return new NotifyDetector(connections, registry::tableDependencies, NotifyDetector.Options.defaults(),
                Thread::new);
    }

    @Override
    String backendApplicationName() {
        return "arcana-listener";
    }
}
