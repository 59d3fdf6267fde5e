package dev.arcana.arquillian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.arcana.arquillian.broken.FirstBrokenGraphs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * param bounds and no table dependency) and whose settings hold a bad value must fail to deploy,
 * naming every problem (Arcana's CDI extension reports them together, prefixed ARCANA-CDI and
 * ARCANA-CONFIG). Deployed by hand (not managed) so the test
 * can look at the failure: the exception the adapter throws, plus what the server logged meanwhile
 * when its log is known ({@code arcana.arq.serverLog}): Liberty's adapter, for one, passes on only
 * "Exception List with 3 exceptions". Payara Micro's adapter starts a server per deployment and
 * reports no failed deployment at all (it only waits for the server to be ready): there the test
 * checks that the application is not served, and reads the server's output, which that adapter
 * prints to this JVM's {@code System.out}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrokenGraphDeploymentIT {
    private static final String BROKEN = "broken";
    private static final String MARKER_URL = "http://localhost:" + System.getProperty("arcana.arq.payara.http.port", "9184")
            + "/" + Deployments.BROKEN_NAME + "/" + Deployments.BROKEN_MARKER;

    @Deployment(name = BROKEN, managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.brokenGraphs();
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void deploymentWithBrokenGraphsAndSettingsFailsNamingEveryProblem() throws IOException, InterruptedException {
        long logStart = logSize();
        PrintStream console = System.out;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Throwable failure;
        System.setOut(new PrintStream(new TeeOutputStream(console, output), true, StandardCharsets.UTF_8));
        try {
            failure = catchThrowable(() -> deployer.deploy(BROKEN));
        } finally {
            System.setOut(console);
        }
        try {
            if ("payara".equals(System.getProperty("arquillian.launch"))) {
                // the adapter passes a failed deployment off as a success: the app must at least not be there
                assertThat(marker()).as("GET " + MARKER_URL + " (the broken application's static file)").isEqualTo(404);
            } else {
                assertThat(failure).as("deploying the broken graphs").isNotNull();
            }
            String messages = messages(failure) + "\n--- server log ---\n" + logSince(logStart)
                    + "\n--- server output ---\n" + output.toString(StandardCharsets.UTF_8);
            assertThat(messages)
                    .contains("ARCANA-CDI")
                    .contains("graph key '" + FirstBrokenGraphs.DUPLICATE_KEY + "' is defined twice")
                    .contains("FirstBrokenGraphs#first()").contains("SecondBrokenGraphs#second()")
                    .contains("graph '" + FirstBrokenGraphs.BAD_KEY + "': param 'limit': min 10 is greater than max 1")
                    .contains("graph '" + FirstBrokenGraphs.BAD_KEY + "': declares no table dependencies")
                    // the settings are checked in the same pass and reported with the graphs
                    .contains("ARCANA-CONFIG")
                    .contains("arcana.max-subscriptions-per-seance='lots' is not an integer");
        } finally {
            // a failed deployment may still be registered with the server: leave it as found
            catchThrowable(() -> deployer.undeploy(BROKEN));
        }
    }

    /** The status of the broken application's static file: 200 if it were deployed. */
    private static int marker() throws IOException, InterruptedException {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(MARKER_URL)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
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

    /** Writes to two streams. */
    private static final class TeeOutputStream extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        TeeOutputStream(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public synchronized void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
