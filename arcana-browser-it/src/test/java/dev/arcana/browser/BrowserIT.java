package dev.arcana.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Runs the node test files of src/test/js (node's test runner, playwright-core driving Debian's headless chromium)
 * against the example on this module's Liberty server. Each file is one test here; a failing file fails with its
 * whole output, which includes the browser console log of every page it opened.
 *
 * <p>The test tagged {@value #PORTABLE} is the browser check that the Payara and WildFly modules run against their
 * server too (they scan this module's test jar with failsafe's {@code groups}); the others need a Liberty server
 * ({@code restart.test.mjs} restarts it) or are covered here once.
 */
class BrowserIT {

    /** The tag of the browser checks that every server kind runs (the same tag as arcana-it's portable ITs). */
    public static final String PORTABLE = "portable";

    private static final long TIMEOUT_MINUTES = 5;

    @Test
    @Tag(PORTABLE)
    void twoSessionsOfOneWorkspaceStayInStepAndOtherWorkspacesSeeNothing() throws Exception {
        runNodeTest("sync.test.mjs");
    }

    /**
     * DevTools in the browser where the server has it on (the example) and where it has it off
     * ({@code arcana.browser.devtools=off}: WildFly's module starts its server so).
     */
    @Test
    @Tag(PORTABLE)
    void devtoolsOpensForAnAdminOnlyWhereEnabledAndIsAnUnknownPathElsewhere() throws Exception {
        runNodeTest("devtools-presence.test.mjs");
    }

    /** Needs the server's {@code example.mutation-delay-ms} (this module's pom sets 300) to see the optimistic state. */
    @Test
    void mutationsShowAtOnceRollBackWhenRefusedAndRunOnceAfterOffline() throws Exception {
        runNodeTest("mutations.test.mjs");
    }

    @Test
    void theSvelteReactAndVuePagesStayInStep() throws Exception {
        runNodeTest("pages.test.mjs");
    }

    @Test
    void devtoolsShowsTheLiveInstancesAndAChangesHopsToAnAdminOnly() throws Exception {
        runNodeTest("devtools.test.mjs");
    }

    @Test
    void pageRecoversByItselfAfterTheServerRestarts() throws Exception {
        runNodeTest("restart.test.mjs");
    }

    @Test
    void reloadShowsPersistedDataStaleUntilTheServerIsReachable() throws Exception {
        runNodeTest("reload.test.mjs");
    }

    @Test
    void typesGeneratedFromTheLiveSchemaCompile() throws Exception {
        runNodeTest("types.test.mjs");
    }

    private static void runNodeTest(String file) throws IOException, InterruptedException {
        Path jsDir = Path.of(property("arcana.browser.jsDir"));
        ProcessBuilder builder = new ProcessBuilder(List.of("node", "--test", "--test-reporter=spec", file))
                .directory(jsDir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("ARCANA_BASE_URL", property("arcana.browser.baseUrl"));
        env.put("ARCANA_CHROMIUM", property("arcana.browser.chromium"));
        // the Liberty server to restart (restart.test.mjs); not set for the other server kinds
        putIfSet(env, "ARCANA_WLP_DIR", "arcana.browser.wlpDir");
        putIfSet(env, "ARCANA_SERVER_NAME", "arcana.browser.serverName");
        env.put("ARCANA_OUT_DIR", property("arcana.browser.outDir"));
        env.put("ARCANA_DEVTOOLS", System.getProperty("arcana.browser.devtools", "on"));
        Process process = builder.start();
        StringBuilder output = new StringBuilder();
        Thread pump = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    System.out.println("[" + file + "] " + line);
                    output.append(line).append('\n');
                }
            } catch (IOException e) {
                output.append("(output lost: ").append(e).append(")\n");
            }
        }, "node-output-" + file);
        pump.start();
        boolean finished = process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(TimeUnit.SECONDS.toMillis(10));
        String verdict = finished ? "exit code " + process.exitValue() : "timed out after " + TIMEOUT_MINUTES + " min";
        assertEquals(0, finished ? process.exitValue() : -1,
                () -> "node --test " + file + " failed (" + verdict + "):\n" + output);
    }

    private static void putIfSet(Map<String, String> env, String variable, String propertyName) {
        String value = System.getProperty(propertyName);
        if (value != null && !value.isBlank()) {
            env.put(variable, value);
        }
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through mvn verify)");
        }
        return value;
    }
}
