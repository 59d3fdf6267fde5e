package dev.arcana.load;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WildFly or Payara Micro with the example WAR, started and stopped through {@code deploy/wildfly/wildfly.sh} or
 * {@code deploy/payara/payara.sh}: the scripts the README gives users, which wait for {@code /api/ping} themselves.
 * The server JVM gets the JVM's default heap, as Liberty does.
 */
final class ScriptedServer implements ManagedServer {
    private static final Pattern SERVER_PID = Pattern.compile("server pid (\\d+)|\\(pid (\\d+),");

    /** Which server, and how its script is told about ports and JVM options. */
    enum Kind {
        /** {@code wildfly.sh}: {@code home} is the installation (JBOSS_HOME); seven ports from the HTTP port up. */
        WILDFLY("deploy/wildfly/wildfly.sh", "WildFly"),
        /** {@code payara.sh}: {@code home} is the payara-micro jar; its work directory sits beside the report. */
        PAYARA("deploy/payara/payara.sh", "Payara Micro");

        private final String script;
        private final String label;

        Kind(String script, String label) {
            this.script = script;
            this.label = label;
        }
    }

    private final Kind kind;
    private final Path repository;
    private final Path home;
    private final Path war;
    private final Path pgjdbc;
    private final Path workDir;
    private final int httpPort;
    private final int dbPort;
    private long pid;
    /** The environment of the last start: stop needs it too (wildfly.sh leaves a database named by ARCANA_DB_URL alone). */
    private Map<String, String> env = Map.of();

    /**
     * @param repository the repository's root (the scripts' location)
     * @param workDir    Payara's work directory (pid file, log, root directory); unused for WildFly
     */
    ScriptedServer(Kind kind, Path repository, Path home, Path war, Path pgjdbc, Path workDir, int httpPort, int dbPort) {
        this.kind = kind;
        this.repository = repository;
        this.home = home;
        this.war = war;
        this.pgjdbc = pgjdbc;
        this.workDir = workDir;
        this.httpPort = httpPort;
        this.dbPort = dbPort;
    }

    @Override
    public String description() {
        return kind.label + " (`" + kind.script + "`, " + home.getFileName() + ")";
    }

    @Override
    public URI baseUrl() {
        return URI.create("http://localhost:" + httpPort + "/");
    }

    @Override
    public int dbPort() {
        return dbPort;
    }

    @Override
    public void start(Map<String, String> env, String jvmArgs) throws IOException, InterruptedException {
        if (kind == Kind.WILDFLY) {
            // once per installation: the datasource and the pgjdbc module; a no-op afterwards
            ManagedServer.run(script("configure", List.of("--pgjdbc", pgjdbc.toString())), "configure");
        }
        this.env = Map.copyOf(env);
        ProcessBuilder builder = script("start", List.of("--war", war.toString()));
        builder.environment().putAll(env);
        if (kind == Kind.WILDFLY) {
            // standalone.conf puts JBOSS_JAVA_SIZING on the JVM's command line; without -Xmx the JVM's default heap
            builder.environment().put("JBOSS_JAVA_SIZING", ("-Xms64m " + jvmArgs).strip());
        } else {
            builder.environment().put("PAYARA_JAVA_OPTS", jvmArgs.strip());
        }
        String output = ManagedServer.run(builder, "start");
        Matcher matcher = SERVER_PID.matcher(output);
        if (!matcher.find()) {
            throw new IOException(kind.label + " did not start: " + output);
        }
        pid = Long.parseLong(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
    }

    @Override
    public void stop() throws IOException, InterruptedException {
        ProcessBuilder builder = script("stop", List.of());
        builder.environment().putAll(env);
        ManagedServer.run(builder, "stop");
        pid = 0;
    }

    @Override
    public long pid() {
        return pid;
    }

    private ProcessBuilder script(String command, List<String> extra) {
        List<String> line = new ArrayList<>(List.of("bash", repository.resolve(kind.script).toString(), command));
        if (kind == Kind.WILDFLY) {
            line.addAll(List.of("--jboss-home", home.toString(), "--http-port", port(0), "--management-port", port(1),
                    "--https-port", port(2), "--management-https-port", port(3), "--ajp-port", port(4),
                    "--txn-recovery-port", port(5), "--txn-status-port", port(6), "--db-port", Integer.toString(dbPort)));
        } else {
            line.addAll(List.of("--micro", home.toString(), "--pgjdbc", pgjdbc.toString(), "--port", port(0),
                    "--db-port", Integer.toString(dbPort), "--dir", workDir.toString()));
        }
        line.addAll(extra);
        return new ProcessBuilder(line);
    }

    private String port(int offset) {
        return Integer.toString(httpPort + offset);
    }
}
