package dev.arcana.arquillian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.arcana.arquillian.broken.FirstBrokenGraphs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A deployment whose graphs are broken in two ways (a key defined twice, a graph with contradictory
 * param bounds and no table dependency) must fail to deploy, naming every problem (Arcana's CDI
 * extension reports them together, prefixed ARCANA-CDI). Deployed by hand (not managed) so the test
 * can look at the failure: the exception the adapter throws, plus what the server logged meanwhile
 * when its log is known ({@code arcana.arq.serverLog}): Liberty's adapter, for one, passes on only
 * "Exception List with 3 exceptions".
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrokenGraphDeploymentIT {
    private static final String BROKEN = "broken";

    @Deployment(name = BROKEN, managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.brokenGraphs("arcana-arquillian-broken");
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void deploymentWithBrokenGraphsFailsNamingEveryProblem() throws IOException {
        long logStart = logSize();
        Throwable failure = catchThrowable(() -> deployer.deploy(BROKEN));
        try {
            assertThat(failure).as("deploying the broken graphs").isNotNull();
            String messages = messages(failure) + "\n--- server log ---\n" + logSince(logStart);
            assertThat(messages)
                    .contains("ARCANA-CDI")
                    .contains("graph key '" + FirstBrokenGraphs.DUPLICATE_KEY + "' is defined twice")
                    .contains("FirstBrokenGraphs#first()").contains("SecondBrokenGraphs#second()")
                    .contains("graph '" + FirstBrokenGraphs.BAD_KEY + "': param 'limit': min 10 is greater than max 1")
                    .contains("graph '" + FirstBrokenGraphs.BAD_KEY + "': declares no table dependencies");
        } finally {
            // a failed deployment may still be registered with the server: leave it as found
            catchThrowable(() -> deployer.undeploy(BROKEN));
        }
    }

    private static Optional<Path> serverLog() {
        return Optional.ofNullable(System.getProperty("arcana.arq.serverLog")).map(Path::of);
    }

    private static long logSize() throws IOException {
        Optional<Path> log = serverLog();
        return log.isPresent() && Files.exists(log.get()) ? Files.size(log.get()) : 0;
    }

    /** What the server logged since {@code from} (the log is complete: the deployment has failed by now). */
    private static String logSince(long from) throws IOException {
        Optional<Path> log = serverLog();
        if (log.isEmpty() || !Files.exists(log.get())) {
            return "";
        }
        byte[] all = Files.readAllBytes(log.get());
        int start = (int) Math.min(from, all.length);
        return new String(all, start, all.length - start, StandardCharsets.UTF_8);
    }

    /** Every message of the cause chain (and suppressed exceptions), one per line. */
    private static String messages(Throwable failure) {
        List<String> lines = new ArrayList<>();
        collect(failure, lines, 0);
        return String.join("\n", lines);
    }

    private static void collect(Throwable error, List<String> lines, int depth) {
        if (error == null || depth > 20) {
            return;
        }
        lines.add(error.getClass().getName() + ": " + error.getMessage());
        for (Throwable suppressed : error.getSuppressed()) {
            collect(suppressed, lines, depth + 1);
        }
        if (error.getCause() != error) {
            collect(error.getCause(), lines, depth + 1);
        }
    }
}
