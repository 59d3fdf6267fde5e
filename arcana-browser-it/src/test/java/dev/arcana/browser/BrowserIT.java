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
import org.junit.jupiter.api.Test;

/**
 * Runs the node test files of src/test/js (node's test runner, playwright-core driving Debian's headless chromium)
 * against the example on this module's Liberty server. Each file is one test here; a failing file fails with its
 * whole output, which includes the browser console log of every page it opened.
 */
class BrowserIT {

    private static final long TIMEOUT_MINUTES = 5;

    @Test
    void twoSessionsOfOneWorkspaceStayInStepAndOtherWorkspacesSeeNothing() throws Exception {
        runNodeTest("sync.test.mjs");
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
        env.put("ARCANA_WLP_DIR", property("arcana.browser.wlpDir"));
        env.put("ARCANA_SERVER_NAME", property("arcana.browser.serverName"));
        env.put("ARCANA_OUT_DIR", property("arcana.browser.outDir"));
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

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set (run through mvn verify)");
        }
        return value;
    }
}
