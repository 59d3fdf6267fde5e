package dev.arcana.ee.cdi;

import dev.arcana.api.Graph;
import dev.arcana.api.GraphDefinition;
import dev.arcana.api.Mutation;
import dev.arcana.api.MutationDefinition;
import dev.arcana.api.spi.IdentityResolver;
import dev.arcana.api.spi.Transport;
import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.InvalidSettingsException;
import dev.arcana.ee.TransportSelection;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds what Arcana needs among the application's beans and fails a bad deployment once, listing
 * every problem.
 *
 * <ol>
 *   <li>{@code ProcessBean} (which also delivers ProcessProducerMethod, ProcessProducerField and
 *   ProcessSyntheticBean): records every bean of type {@link Graph} qualified
 *   {@link GraphDefinition} and of type {@link Mutation} qualified {@link MutationDefinition} (with a
 *   name saying where it is defined), of type {@link Transport},
 *   of type {@link IdentityResolver}, and Arcana's own {@link ArcanaSettings} bean.</li>
 *   <li>{@code AfterDeploymentValidation}: obtains every graph and mutation, validates them together
 *   ({@link GraphValidator}, {@link MutationValidator}), creates the settings (the one settings pass, every module's keys) and
 *   checks the transport choice, and reports every problem with {@code addDeploymentProblem}.</li>
 * </ol>
 *
 * <p>Why beans are captured as {@link Bean}s rather than looked up by type: each jar is a bean
 * archive of its own, and servers differ in which archives an extension and its beans can see
 * (Payara's Weld places an extension in an archive that sees no other jar's beans). A captured
 * {@code Bean} is obtained with {@link BeanManager#getReference}, which involves no visibility
 * rule, so the transports and the application's resolver are found on every server.
 *
 * <p>State lives in this instance only: several applications on one server each get their own.
 * Beans find it with {@code BeanManager.getExtension(ArcanaExtension.class)}.
 */
public class ArcanaExtension implements Extension {
    private static final System.Logger LOG = System.getLogger(ArcanaExtension.class.getName());

    /** Bean → where it is defined. Synchronized: Weld may deliver ProcessBean events concurrently. */
    private final Map<Bean<?>, String> definitions = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<Bean<?>, String> mutationDefinitions = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Set<Bean<?>> transports = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<Bean<?>> resolvers = Collections.synchronizedSet(new LinkedHashSet<>());
    private volatile Bean<?> settingsBean;
    private volatile List<Graph> graphs = List.of();
    private volatile List<Mutation> mutations = List.of();

    void capture(@Observes ProcessBean<?> event) {
        Bean<?> bean = event.getBean();
        Set<java.lang.reflect.Type> types = bean.getTypes();
        if (types.contains(Graph.class) && qualified(bean, GraphDefinition.class)) {
            definitions.put(bean, definitionName(event));
        }
        if (types.contains(Mutation.class) && qualified(bean, MutationDefinition.class)) {
            mutationDefinitions.put(bean, definitionName(event));
        }
        if (types.contains(Transport.class)) {
            transports.add(bean);
        }
        if (types.contains(IdentityResolver.class)) {
            resolvers.add(bean);
        }
        if (bean.getBeanClass() == ArcanaSettings.class && types.contains(ArcanaSettings.class)) {
            settingsBean = bean;
        }
    }

    void validate(@Observes AfterDeploymentValidation event, BeanManager beanManager) {
        List<String> problems = new ArrayList<>();
        List<GraphValidator.Definition> found = new ArrayList<>();
        create(beanManager, definitions, Graph.class, problems)
                .forEach((name, graph) -> found.add(new GraphValidator.Definition(name, graph)));
        GraphValidator.problems(found).forEach(problem -> problems.add("ARCANA-CDI: " + problem));
        List<MutationValidator.Definition> foundMutations = new ArrayList<>();
        create(beanManager, mutationDefinitions, Mutation.class, problems)
                .forEach((name, mutation) -> foundMutations.add(new MutationValidator.Definition(name, mutation)));
        MutationValidator.problems(foundMutations).forEach(problem -> problems.add("ARCANA-CDI: " + problem));
        settingsProblems(beanManager).forEach(problems::add);
        for (String problem : problems) {
            event.addDeploymentProblem(new DeploymentException(problem));
        }
        if (problems.isEmpty()) {
            graphs = found.stream().map(GraphValidator.Definition::graph).toList();
            mutations = foundMutations.stream().map(MutationValidator.Definition::mutation).toList();
            LOG.log(System.Logger.Level.INFO, "ARCANA-CDI: {0} graph(s) found: {1}", graphs.size(),
                    found.stream().map(d -> d.graph().key() + " (" + d.name() + ")").toList());
            LOG.log(System.Logger.Level.INFO, "ARCANA-CDI: {0} mutation(s) found: {1}", mutations.size(),
                    foundMutations.stream().map(d -> d.mutation().key() + " (" + d.name() + ")").toList());
        } else {
            LOG.log(System.Logger.Level.ERROR, "ARCANA-CDI: deployment refused, {0} problem(s): {1}",
                    problems.size(), String.join("; ", problems));
        }
    }

    /** The validated graphs, in definition order; empty until the deployment has been validated. */
    public List<Graph> graphs() {
        return graphs;
    }

    /** The validated mutations, in definition order; empty until the deployment has been validated. */
    public List<Mutation> mutations() {
        return mutations;
    }

    /**
     * An instance of every captured definition, by definition name, sorted by that name (discovery
     * order varies; messages and registration order should not). A definition that fails to be
     * created is a problem; one that produces null is left for the validator to name.
     */
    private static <T> Map<String, T> create(BeanManager beanManager, Map<Bean<?>, String> captured, Class<T> type,
                                             List<String> problems) {
        List<Map.Entry<Bean<?>, String>> sorted;
        synchronized (captured) {
            sorted = captured.entrySet().stream().sorted(Map.Entry.comparingByValue()).toList();
        }
        Map<String, T> created = new LinkedHashMap<>();
        for (Map.Entry<Bean<?>, String> entry : sorted) {
            String name = entry.getValue();
            try {
                created.put(name, reference(beanManager, entry.getKey(), type));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "ARCANA-CDI: " + type.getSimpleName().toLowerCase(java.util.Locale.ROOT)
                        + " definition " + name + " failed", e);
                problems.add("ARCANA-CDI: " + name + ": could not be created: " + e);
            }
        }
        return created;
    }

    private static boolean qualified(Bean<?> bean, Class<? extends java.lang.annotation.Annotation> qualifier) {
        return bean.getQualifiers().stream().anyMatch(q -> q.annotationType() == qualifier);
    }

    /** Every enabled bean of type {@link Transport}. */
    public Set<Bean<?>> transportBeans() {
        synchronized (transports) {
            return Set.copyOf(transports);
        }
    }

    /** Every enabled bean of type {@link IdentityResolver} (alternatives included: resolve them). */
    public Set<Bean<?>> identityResolverBeans() {
        synchronized (resolvers) {
            return Set.copyOf(resolvers);
        }
    }

    /**
     * The bean type-safe resolution would pick among captured {@code candidates}: alternatives
     * ({@code @Alternative @Priority}) win over the others; null when there are none.
     *
     * @throws jakarta.enterprise.inject.AmbiguousResolutionException when several remain
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Bean<?> resolve(BeanManager beanManager, Set<Bean<?>> candidates) {
        return candidates.isEmpty() ? null : beanManager.resolve((Set) candidates);
    }

    /** A contextual reference of a captured bean (a client proxy when it is normal-scoped). */
    public static <T> T reference(BeanManager beanManager, Bean<?> bean, Class<T> type) {
        return type.cast(beanManager.getReference(bean, type, beanManager.createCreationalContext(bean)));
    }

    /**
     * The settings pass at deployment: one problem per message of {@link InvalidSettingsException}
     * (it names every bad key of every module), then the transport choice.
     */
    private List<String> settingsProblems(BeanManager beanManager) {
        Bean<?> bean = settingsBean;
        if (bean == null) {
            return List.of("ARCANA-CDI: no " + ArcanaSettings.class.getName() + " bean: is arcana-ee's "
                    + "META-INF/beans.xml missing from the deployment?");
        }
        ArcanaSettings settings;
        try {
            settings = reference(beanManager, bean, ArcanaSettings.class);
            settings.transport(); // the reference is a client proxy: this creates the instance
        } catch (RuntimeException e) {
            InvalidSettingsException invalid = find(e, InvalidSettingsException.class);
            if (invalid != null) {
                return List.of(invalid.getMessage());
            }
            LOG.log(System.Logger.Level.ERROR, "ARCANA-CONFIG: the arcana.* configuration could not be read", e);
            return List.of("ARCANA-CONFIG: the arcana.* configuration could not be read: " + e);
        }
        return TransportSelection.problem(beanManager, transportBeans(), settings.transport())
                .map(problem -> List.of("ARCANA-CONFIG: " + problem)).orElse(List.of());
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
