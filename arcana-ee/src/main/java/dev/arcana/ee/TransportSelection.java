package dev.arcana.ee;

import dev.arcana.api.spi.Transport;
import dev.arcana.ee.cdi.ArcanaExtension;
import jakarta.enterprise.inject.AmbiguousResolutionException;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Named;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Picks the transport named by {@code arcana.transport}: the CDI bean of type {@link Transport}
 * qualified {@code @Named(<arcana.transport>)}, e.g. {@code @Named("websocket")} from
 * arcana-websocket-transport, among the transport beans {@link ArcanaExtension} captured.
 */
public final class TransportSelection {

    private TransportSelection() {
    }

    /** What is wrong with the choice at deployment, if anything (no bean, several beans). */
    public static Optional<String> problem(BeanManager beanManager, Collection<Bean<?>> transports, String name) {
        try {
            resolve(beanManager, transports, name);
            return Optional.empty();
        } catch (IllegalStateException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** The transport bean (a client proxy when it is normal-scoped). */
    public static Transport select(BeanManager beanManager, Collection<Bean<?>> transports, String name) {
        return ArcanaExtension.reference(beanManager, resolve(beanManager, transports, name), Transport.class);
    }

    private static Bean<?> resolve(BeanManager beanManager, Collection<Bean<?>> transports, String name) {
        Set<Bean<?>> named = transports.stream().filter(bean -> named(bean, name)).collect(Collectors.toSet());
        Bean<?> resolved;
        try {
            resolved = ArcanaExtension.resolve(beanManager, named);
        } catch (AmbiguousResolutionException e) {
            throw new IllegalStateException(ambiguous(name,
                    named.stream().map(b -> b.getBeanClass().getName()).sorted().toList()));
        }
        if (resolved == null) {
            throw new IllegalStateException(missing(name));
        }
        return resolved;
    }

    private static boolean named(Bean<?> bean, String name) {
        return bean.getQualifiers().stream().anyMatch(q -> q instanceof Named n && n.value().equals(name));
    }

    static String missing(String name) {
        return ArcanaSettings.TRANSPORT + "=" + name + ": no CDI bean of type " + Transport.class.getName()
                + " qualified @Named(\"" + name + "\")"
                + "; add the arcana-" + name + "-transport jar to the application";
    }

    private static String ambiguous(String name, List<String> classes) {
        return ArcanaSettings.TRANSPORT + "=" + name + ": several CDI beans of type " + Transport.class.getName()
                + " are qualified @Named(\"" + name + "\"): " + classes;
    }
}
