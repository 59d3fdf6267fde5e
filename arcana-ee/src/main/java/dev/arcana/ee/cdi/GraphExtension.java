package dev.arcana.ee.cdi;

import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.ee.ArcanaRuntime;
import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.IdentityResolution;
import dev.arcana.ee.InvalidSettingsException;
import dev.arcana.ee.TransportSelection;
import dev.arcana.ee.health.ArcanaLivenessCheck;
import dev.arcana.ee.health.ArcanaReadinessCheck;
import dev.arcana.ee.rest.ArcanaResource;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessBean;
import jakarta.enterprise.inject.spi.ProcessProducerField;
import jakarta.enterprise.inject.spi.ProcessProducerMethod;
import jakarta.enterprise.inject.spi.ProcessSyntheticBean;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the application's graphs and fails a bad deployment once, listing every problem.
 *
 * <ol>
 *   <li>{@code BeforeBeanDiscovery}: adds Arcana's own beans, so that the jar needs no beans.xml
 *       (a jar with an extension and no beans.xml is not a bean archive).</li>
 *   <li>{@code ProcessBean} (which also delivers ProcessProducerMethod, ProcessProducerField and
 *       ProcessSyntheticBean): records every bean of type {@link Graph} qualified
 *       {@link GraphDefinition}, with a name saying where it is defined.</li>
 *   <li>{@code AfterDeploymentValidation}: obtains every graph, validates them together
 *       ({@link GraphValidator}), validates the {@code arcana.*} settings and the transport choice, and
 *       reports every problem with {@code addDeploymentProblem}.</li>
 * </ol>
 * State lives in this instance only: several applications on one server each get their own.
 */
public class GraphExtension implements Extension {
    private static final System.Logger LOG = System.getLogger(GraphExtension.class.getName());

    /** Arcana's CDI beans; the JAX-RS providers and the servlet listener are not CDI beans. */
    static final List<Class<?>> BEAN_CLASSES = List.of(ArcanaSettings.class, ArcanaRuntime.class,
            IdentityResolution.class, ArcanaResource.class, ArcanaReadinessCheck.class, ArcanaLivenessCheck.class);

    /** Bean → where it is defined. Synchronized: Weld may deliver ProcessBean events concurrently. */
    private final Map<Bean<?>, String> definitions = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile List<Graph> graphs = List.of();

    void addArcanaBeans(@Observes BeforeBeanDiscovery event) {
        for (Class<?> type : BEAN_CLASSES) {
            event.addAnnotatedType(type, GraphExtension.class.getName() + ":" + type.getName());
        }
    }

    void collectGraphDefinition(@Observes ProcessBean<?> event) {
        Bean<?> bean = event.getBean();
        if (bean.getTypes().contains(Graph.class) && bean.getQualifiers().stream()
                .anyMatch(qualifier -> qualifier.annotationType() == GraphDefinition.class)) {
            definitions.put(bean, definitionName(event));
        }
    }

    void validate(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        List<GraphValidator.Definition> found = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<Map.Entry<Bean<?>, String>> sorted;
        synchronized (definitions) {
            // sorted by name: discovery order varies, messages and registration order should not
            sorted = definitions.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
        }
        sorted.forEach(entry -> {
            Bean<?> bean = entry.getKey();
            String name = entry.getValue();
            try {
                Graph graph = (Graph) beanManager.getReference(bean, Graph.class, beanManager.createCreationalContext(bean));
                found.add(new GraphValidator.Definition(name, graph));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "ARCANA-CDI: graph definition " + name + " failed", e);
                problems.add(name + ": could not be created: " + e);
            }
        });
        problems.addAll(GraphValidator.problems(found));
        for (String problem : problems) {
            event.addDeploymentProblem(new DeploymentException("ARCANA-CDI: " + problem));
        }
        // the settings are one problem with one message naming every bad key
        settingsProblem(beanManager).ifPresent(problem -> {
            problems.add(problem);
            event.addDeploymentProblem(new DeploymentException(problem));
        });
        if (problems.isEmpty()) {
            graphs = found.stream().map(GraphValidator.Definition::graph).toList();
            LOG.log(System.Logger.Level.INFO, "ARCANA-CDI: {0} graph(s) found: {1}", graphs.size(),
                    found.stream().map(d -> d.graph().key() + " (" + d.name() + ")").toList());
        } else {
            LOG.log(System.Logger.Level.ERROR, "ARCANA-CDI: deployment refused, {0} problem(s): {1}",
                    problems.size(), String.join("; ", problems));
        }
    }

    /** The validated graphs, in definition order; empty until the deployment has been validated. */
    public List<Graph> graphs() {
        return graphs;
    }

    /** Reading the settings here turns bad values into a deployment failure instead of a half-started app. */
    private static Optional<String> settingsProblem(BeanManager beanManager) {
        ArcanaSettings settings;
        try {
            settings = beanManager.createInstance().select(ArcanaSettings.class).get();
            settings.transport(); // the reference is a client proxy: this creates the instance
        } catch (RuntimeException e) {
            InvalidSettingsException invalid = find(e, InvalidSettingsException.class);
            if (invalid != null) {
                return Optional.of(invalid.getMessage());
            }
            LOG.log(System.Logger.Level.ERROR, "ARCANA-CONFIG: the arcana.* configuration could not be read", e);
            return Optional.of("ARCANA-CONFIG: the arcana.* configuration could not be read: " + e);
        }
        return TransportSelection.problem(beanManager, settings.transport()).map(problem -> "ARCANA-CONFIG: " + problem);
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String definitionName(ProcessBean<?> event) {
        if (event instanceof ProcessProducerMethod<?, ?> producer) {
            Method method = producer.getAnnotatedProducerMethod().getJavaMember();
            return method.getDeclaringClass().getName() + "#" + method.getName() + "()";
        }
        if (event instanceof ProcessProducerField<?, ?> producer) {
            Field field = producer.getAnnotatedProducerField().getJavaMember();
            return field.getDeclaringClass().getName() + "#" + field.getName();
        }
        if (event instanceof ProcessSyntheticBean<?> synthetic) {
            return "synthetic bean " + event.getBean().getBeanClass().getName() + " added by "
                    + synthetic.getSource().getClass().getName();
        }
        return event.getBean().getBeanClass().getName();
    }
}
