package dev.arcana.load;

import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Command line of the load driver. Two ways to point it at a server:
 * <ul>
 * <li>{@code --wlp DIR --server NAME}: a Liberty server the build created with the example app;
 * the driver starts it once per {@code --strategies} entry (so shared and naive are measured in one
 * run) and stops it after;</li>
 * <li>{@code --wildfly JBOSS_HOME} or {@code --payara PAYARA_MICRO_JAR}, with {@code --war FILE --pgjdbc JAR
 * --repository DIR}: WildFly or Payara Micro through the repository's deploy scripts, likewise once per strategy
 * (Liberty's {@code --server-core-threads} does not apply);</li>
 * <li>{@code --url http://host:port --jdbc jdbc:postgresql://...} [{@code --server-pid PID}]:
 * attach to a running example (one strategy, whatever it runs).</li>
 * </ul>
 * Other options: {@code --scenarios smoke,light,load,idle,mutate,hot}, {@code --sweep 200,400,...}
 * (the {@code --sweep-scenario}, {@code load} by default, at each rate for {@code --sweep-duration} s, 20 by
 * default, until p99 passes {@code --sweep-p99-ms}, 50 by default, or anything is lost: {@link RateSweep}) (a scenario at another commit rate:
 * {@code load:500}), {@code --strategies shared,naive,fast-path,detector-path} (see {@link ServerVariant}),
 * {@code --clients N --workspaces W} (another shape for every scenario),
 * {@code --writes sql|api}, {@code --detector notify|explicit}, {@code --debounce-ms N}
 * (the engine's default, 0, when absent),
 * {@code --duration S}, {@code --rate R}, {@code --discard N}, {@code --server-jvm-args "..."},
 * {@code --storm-at S} (drop every client S seconds into the measured writes; they reconnect and sync),
 * {@code --storm-restart} (and restart the server then; the driver runs the database itself),
 * {@code --server-core-threads N} (Liberty's default executor), {@code --connects-in-flight N},
 * {@code --warmup S} (seconds of unmeasured writes before each scenario, 5 by default),
 * {@code --clicks N} (N optimistic adds clicked in headless Chromium per strategy, after its scenarios: {@link ClickBench};
 * {@code --click-script FILE}, arcana-browser-it's by default),
 * {@code --out DIR} (report and plot), {@code --fail-on-loss}.
 */
public final class LoadDriver {

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        List<Scenario> scenarios = new ArrayList<>();
        Optional<RateSweep> sweep = Optional.ofNullable(options.get("sweep")).map(rates -> RateSweep.parse(rates,
                options.getOrDefault("sweep-scenario", "load"), options.getOrDefault("sweep-p99-ms", "50"),
                Integer.parseInt(options.getOrDefault("sweep-duration", "20"))));
        List<ScenarioResult> sweepSteps = new ArrayList<>();
        int clicks = Integer.parseInt(options.getOrDefault("clicks", "0"));
        boolean othersAsked = sweep.isPresent() || clicks > 0;
        for (String entry : options.getOrDefault("scenarios", othersAsked ? "" : "smoke").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] nameAndRate = entry.trim().split(":", 2); // "load:500" is the load scenario at 500 commits/s
            Scenario scenario = Scenario.named(nameAndRate[0]);
            if (options.containsKey("clients") || options.containsKey("workspaces")) {
                scenario = scenario.withClients(Integer.parseInt(options.getOrDefault("clients", "" + scenario.clients())),
                        Integer.parseInt(options.getOrDefault("workspaces", "" + scenario.workspaces())));
            }
            if (options.containsKey("duration")) {
                scenario = scenario.withDuration(Integer.parseInt(options.get("duration")));
            }
            String rate = nameAndRate.length == 2 ? nameAndRate[1] : options.get("rate");
            if (rate != null) {
                scenario = scenario.withRate(Integer.parseInt(rate));
            }
            scenarios.add(scenario);
        }
        Target.WriteMode writes = Target.WriteMode.valueOf(options.getOrDefault("writes", "sql").toUpperCase(Locale.ROOT));
        String detector = options.getOrDefault("detector", writes == Target.WriteMode.SQL ? "notify" : "explicit");
        int discard = Integer.parseInt(options.getOrDefault("discard", "0"));
        Path out = Path.of(options.getOrDefault("out", "target/load"));

        List<ScenarioResult> results = new ArrayList<>();
        Optional<DiscardRun.Result> discardResult = Optional.empty();
        List<ClickBench.Result> clickResults = new ArrayList<>();
        Path clickScript = Path.of(options.getOrDefault("click-script", "../arcana-browser-it/src/bench/click-bench.mjs"));
        String setup;
        Optional<ManagedServer> managed = managedServer(options);
        if (managed.isPresent()) {
            ManagedServer server = managed.get();
            List<ServerVariant> variants = new ArrayList<>();
            for (String entry : options.getOrDefault("strategies", "shared,naive").split(",")) {
                variants.add(ServerVariant.parse(entry));
            }
            int stormAt = Integer.parseInt(options.getOrDefault("storm-at", "0"));
            boolean restart = options.containsKey("storm-restart");
            server.stop(); // a server left over by an aborted run (before the driver's database takes its port)
            // a restart needs a database that outlives the server: the driver runs it
            DriverDatabase database = restart ? DriverDatabase.start(server.dbPort()) : null;
            for (ServerVariant variant : variants) {
                Map<String, String> env = new HashMap<>(variant.env());
                if (database != null) {
                    env.putAll(database.serverEnv());
                }
                env.put("ARCANA_STRATEGY", variant.strategy());
                env.put("ARCANA_DETECTOR", detector);
                if (options.containsKey("debounce-ms")) {
                    env.put("ARCANA_DEBOUNCE_MS", options.get("debounce-ms"));
                }
                // the idle scenario holds 10,000 subscriptions in 1,000 workspaces: allow them
                env.put("ARCANA_WS_QUEUE_LIMIT", options.getOrDefault("ws-queue-limit", "1000"));
                // all clients of a workspace act as one user: instances-10000 holds 100 seances, 10,000 subscriptions of one identity
                env.put("ARCANA_MAX_SUBSCRIPTIONS_PER_IDENTITY", "20000");
                env.put("ARCANA_MAX_INSTANCES_PER_WORKSPACE", "20000");
                env.put("ARCANA_MAX_SEANCES_PER_IDENTITY", "1000");
                String jvmArgs = options.getOrDefault("server-jvm-args", "");
                server.start(env, jvmArgs);
                Storm.Plan storm = stormAt <= 0 ? null : new Storm.Plan(stormAt, restart ? () -> {
                    server.stop();
                    server.start(env, jvmArgs);
                } : null, server::pid);
                try {
                    Target target = new Target(server.baseUrl(), server.jdbcUrl(), writes, server.pid());
                    for (Scenario scenario : scenarios) {
                        if (variant.runs(scenario)) {
                            results.add(runner(target, options, storm).run(scenario, variant.label()));
                        }
                    }
                    if (sweep.isPresent() && variant.equals(variants.get(0))) {
                        sweepSteps.addAll(sweep.get().run(step -> runner(target, options, storm).run(step, variant.label())));
                    }
                    if (discard > 0 && variant.equals(variants.get(0))) {
                        discardResult = Optional.of(DiscardRun.run(target, discard, System.out::println));
                    }
                    if (clicks > 0) {
                        clickResults.add(ClickBench.run(clickScript, server.baseUrl(), clicks, variant.label()));
                    }
                } finally {
                    server.stop();
                }
            }
            if (database != null) {
                database.close();
            }
            setup = server.description() + " started by the driver per strategy; detector `" + detector + "`, debounce " + options.getOrDefault("debounce-ms", "0")
                    + " ms"
                    + "; fast-path / detector-path: example.mutation.declare-changes true / false"
                    + ", writes via " + writes.name().toLowerCase(Locale.ROOT);
        } else {
            Target target = new Target(java.net.URI.create(withSlash(require(options, "url"))), require(options, "jdbc"),
                    writes, Long.parseLong(options.getOrDefault("server-pid", "0")));
            String label = options.getOrDefault("label", "attached");
            int stormAt = Integer.parseInt(options.getOrDefault("storm-at", "0"));
            if (options.containsKey("storm-restart")) {
                throw new IllegalArgumentException("--storm-restart needs the driver to run the server (--wlp, --wildfly or --payara)");
            }
            Storm.Plan storm = stormAt <= 0 ? null : new Storm.Plan(stormAt, null, target::serverPid);
            for (Scenario scenario : scenarios) {
                results.add(runner(target, options, storm).run(scenario, label));
            }
            if (sweep.isPresent()) {
                sweepSteps.addAll(sweep.get().run(step -> runner(target, options, storm).run(step, label)));
            }
            if (discard > 0) {
                discardResult = Optional.of(DiscardRun.run(target, discard, System.out::println));
            }
            if (clicks > 0) {
                clickResults.add(ClickBench.run(clickScript, target.baseUrl(), clicks, label));
            }
            setup = "attached to " + target.baseUrl() + ", writes via " + writes.name().toLowerCase(Locale.ROOT);
        }

        String header = "## Load run " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME) + "\n\n"
                + setup + "; " + Runtime.getRuntime().availableProcessors() + " cores; Java "
                + System.getProperty("java.version") + ".";
        results.addAll(sweepSteps);
        if (sweep.isPresent()) {
            RateSweep rates = sweep.get();
            header += String.format(Locale.ROOT, "%n%nRate sweep of `%s` (%d clients, %d s per step): the highest rate "
                    + "with p99 ≤ %.0f ms and nothing lost is **%d commits/s** (plot: sweep.png).", rates.shape().name(),
                    rates.shape().clients(), rates.shape().durationSeconds(), rates.p99LimitMs(), rates.ceiling(sweepSteps));
            SweepPlot.write(out.resolve("sweep.png"), "Arcana rate sweep: commit → frame latency against the commit "
                    + "rate", sweepSteps, rates.p99LimitMs());
        }
        String markdown = Report.markdown(header, results, discardResult, clickResults);
        Report.write(out, markdown);
        if (!results.isEmpty()) {
            LatencyPlot.write(out.resolve("latency.png"), "Arcana commit → frame latency (mutations: mutate sent → "
                    + "other clients' frame)", results);
        }
        System.out.println();
        System.out.println(markdown);
        System.out.println("[load] report: " + out.resolve("load-report.md")
                + (results.isEmpty() ? "" : ", plot: " + out.resolve("latency.png")));
        boolean inconsistent = results.stream().anyMatch(r -> !r.consistent());
        if (inconsistent && options.containsKey("fail-on-loss")) {
            System.err.println("[load] lost or duplicated updates: failing");
            System.exit(1);
        }
    }

    /** The server the driver starts and stops itself ({@code --wlp}, {@code --wildfly}, {@code --payara}); none with {@code --url}. */
    private static Optional<ManagedServer> managedServer(Map<String, String> options) {
        int httpPort = Integer.parseInt(options.getOrDefault("http-port", "9480"));
        int dbPort = Integer.parseInt(options.getOrDefault("db-port", "15733"));
        if (options.containsKey("wlp")) {
            return Optional.of(new LibertyServer(Path.of(options.get("wlp")), options.getOrDefault("server", "arcana-load"),
                    httpPort, dbPort, Integer.parseInt(options.getOrDefault("server-core-threads", "0"))));
        }
        for (ScriptedServer.Kind kind : ScriptedServer.Kind.values()) {
            String option = kind.name().toLowerCase(Locale.ROOT);
            if (options.containsKey(option)) {
                Path home = Path.of(options.get(option));
                return Optional.of(new ScriptedServer(kind, Path.of(require(options, "repository")), home,
                        Path.of(require(options, "war")), Path.of(require(options, "pgjdbc")),
                        home.toAbsolutePath().resolveSibling("payara-work"), httpPort, dbPort));
            }
        }
        return Optional.empty();
    }

    private static ScenarioRunner runner(Target target, Map<String, String> options, Storm.Plan storm) {
        return new ScenarioRunner(target, System.out::println, 4,
                Integer.parseInt(options.getOrDefault("connects-in-flight", "2")),
                Integer.parseInt(options.getOrDefault("warmup", "5")), storm);
    }

    private static String withSlash(String url) {
        return url.endsWith("/") ? url : url + "/";
    }

    private static String require(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("--" + key + " is required here (see LoadDriver's javadoc)");
        }
        return value;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
            String key = args[i].substring(2);
            if (key.equals("fail-on-loss") || key.equals("storm-restart")) {
                options.put(key, "true");
            } else if (i + 1 < args.length) {
                options.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return options;
    }
}
