package dev.arcana.ee;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.Identity;
import dev.arcana.api.spi.IdentityRequest;
import dev.arcana.api.spi.IdentityResolver;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import dev.arcana.ee.cdi.ArcanaExtension;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Turns requests into identities through the application's {@link IdentityResolver} bean (or,
 * with {@code arcana.identity=container}, the {@link ContainerIdentityResolver}), for HTTP,
 * WebSocket and the Centrifugo token endpoint alike: the one identity path. Without exactly one resolver bean every request is refused (401
 * {@code unauthorized}) and a warning at start says why. Fails closed: a resolver that throws
 * refuses the request too.
 */
@ApplicationScoped
public class IdentityResolution {
    private static final System.Logger LOG = System.getLogger(IdentityResolution.class.getName());
    /** What clients are told: whether authentication is configured is none of their business. */
    static final String REFUSED = "not authenticated";

    private BeanManager beanManager;
    private ContainerIdentitySettings settings;
    private IdentityResolver resolver;
    private String unavailable;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    /** Only for the container's client proxy. */
    protected IdentityResolution() {
    }

    @Inject
    public IdentityResolution(BeanManager beanManager, ArcanaSettings settings) {
        this.beanManager = beanManager;
        this.settings = settings.identitySettings();
    }

    /** A resolution over a given resolver (tests, tools); null means none is configured. */
    public static IdentityResolution of(IdentityResolver resolver) {
        IdentityResolution resolution = new IdentityResolution();
        resolution.resolver = resolver;
        resolution.unavailable = resolver == null ? "no IdentityResolver was given" : null;
        return resolution;
    }

    @PostConstruct
    void selectResolver() {
        if (settings.container()) {
            // the container's login: the application's resolver (e.g. a demo one) is not consulted
            resolver = new ContainerIdentityResolver(settings);
            LOG.log(System.Logger.Level.INFO, "ARCANA-IDENTITY: identities from the container''s login; {0}",
                    settings.describe());
            return;
        }
        // captured by the extension: the application's resolver lives in a bean archive arcana-ee may not see
        Set<Bean<?>> candidates = beanManager.getExtension(ArcanaExtension.class).identityResolverBeans();
        Bean<?> chosen = null;
        if (candidates.isEmpty()) {
            unavailable = "no CDI bean implements " + IdentityResolver.class.getName();
        } else {
            try {
                chosen = ArcanaExtension.resolve(beanManager, candidates);
            } catch (AmbiguousResolutionException e) {
                unavailable = "several CDI beans implement " + IdentityResolver.class.getName() + ": "
                        + candidates.stream().map(b -> b.getBeanClass().getName()).sorted().toList()
                        + " (keep one, or select one with @Alternative @Priority)";
            }
        }
        if (chosen != null) {
            // resolved once: a dependent resolver then lives as long as the application, not one per request
            resolver = ArcanaExtension.reference(beanManager, chosen, IdentityResolver.class);
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "ARCANA-IDENTITY: {0}; every Arcana request is refused with 401 "
                + "unauthorized until the application provides exactly one IdentityResolver bean", unavailable);
    }

    public boolean isConfigured() {
        return resolver != null;
    }

    /** The identity behind a request, or empty when refused (the reason is logged at FINE or WARNING). */
    public Optional<Identity> tryResolve(IdentityRequest request) {
        IdentityResolver current = resolver;
        if (current == null) {
            return Optional.empty();
        }
        try {
            Optional<Identity> identity = current.resolve(request);
            return identity == null ? Optional.empty() : identity;
        } catch (ArcanaException e) {
            throw e; // the resolver chose its answer (e.g. forbidden)
        } catch (RuntimeException e) {
            // e.g. new Identity(...) over a missing header: refuse rather than answer 500. Clients can
            // trigger this at will, so the stack trace is logged once and later failures at DEBUG.
            if (failureLogged.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.WARNING, "ARCANA-IDENTITY: the IdentityResolver failed; request refused "
                        + "(further failures are logged at DEBUG)", e);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "ARCANA-IDENTITY: the IdentityResolver failed; request refused", e);
            }
            return Optional.empty();
        }
    }

    /** @throws ArcanaException {@code unauthorized} (401) when the request carries no identity */
    public Identity resolve(IdentityRequest request) {
        return tryResolve(request).orElseThrow(() -> ArcanaException.unauthorized(REFUSED));
    }
}
