package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Deploys a WAR with two graphs of one key and two mutations of one key into the running server's
 * dropins and checks that the deployment fails once, naming both definitions of each.
 */
class DuplicateGraphDeploymentIT {
    private static final Path SERVER = Path.of(System.getProperty("arcana.it.serverDir", "target/liberty/wlp/usr/servers/arcana-it"));
    private static final Path EXAMPLE_WAR = Path.of(System.getProperty("arcana.it.exampleWar",
            "target/app-under-test/arcana-example.war"));

    @Test
    void deploymentWithTwoGraphsOfOneKeyFailsNamingBoth() throws IOException {
        ExampleServer.awaitReady();
        Path log = SERVER.resolve("logs/messages.log");
        long logStart = Files.size(log);
        Path war = SERVER.resolve("dropins/duplicate-graphs.war");
        Files.createDirectories(war.getParent());
        buildWar(war);
        try {
            await("the failed deployment in messages.log").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> newLog(log, logStart).contains("CWWKZ0002E") && newLog(log, logStart).contains("twice"));
            String text = newLog(log, logStart);
            assertThat(text).contains("graph key 'twice'").contains("FirstTaskGraphs").contains("SecondTaskGraphs");
            assertThat(text).contains("mutation key 'twice_too' is defined twice: by "
                    + "dev.arcana.it.duplicate.FirstTaskGraphs#twiceToo() and by "
                    + "dev.arcana.it.duplicate.SecondTaskGraphs#againToo()");
            assertThat(text.split("CWWKZ0002E", -1)).as("one failed deployment").hasSize(2);
        } finally {
            Files.deleteIfExists(war);
            // A failed app makes the server's readiness DOWN until it is gone; leave the server as found.
            await("readiness after removing the broken app").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> ExampleServer.get("/health/ready").statusCode() == 200);
        }
    }

    private static String newLog(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The two graph classes, plus Arcana's jars taken from the example WAR. */
    private static void buildWar(Path war) throws IOException {
        Path classes = Path.of("target/test-classes/dev/arcana/it/duplicate");
        Path tmp = war.resolveSibling("duplicate-graphs.tmp");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tmp));
             ZipFile example = new ZipFile(EXAMPLE_WAR.toFile())) {
            for (String name : new String[] {"FirstTaskGraphs.class", "SecondTaskGraphs.class"}) {
                out.putNextEntry(new ZipEntry("WEB-INF/classes/dev/arcana/it/duplicate/" + name));
                Files.copy(classes.resolve(name), out);
                out.closeEntry();
            }
            var entries = example.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().matches("WEB-INF/lib/arcana-(api|ee)-.*\\.jar")) {
                    out.putNextEntry(new ZipEntry(entry.getName()));
                    try (InputStream in = example.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
        }
        // Move into dropins only when complete, so the server never sees a half-written archive.
        Files.move(tmp, war, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
