package dev.arcana.arquillian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.arcana.arquillian.broken.FirstBrokenGraphs;
import java.util.ArrayList;
import java.util.List;
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
 * param bounds and no table dependency) must fail to deploy, and the failure the client sees must
 * name every problem, once (Arcana's CDI extension reports them together, prefixed ARCANA-CDI).
 * Deployed by hand (not managed) so the test can look at the failure.
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
    void deploymentWithBrokenGraphsFailsNamingEveryProblem() {
        Throwable failure = catchThrowable(() -> deployer.deploy(BROKEN));
        try {
            assertThat(failure).as("deploying the broken graphs").isNotNull();
            String messages = messages(failure);
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
