package dev.arcana.ee;

import dev.arcana.api.spi.Transport;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import java.util.Optional;
import java.util.Set;

/**
 * Picks the transport named by {@code arcana.transport}: the CDI bean of type {@link Transport}
 * qualified {@code @Named(<arcana.transport>)}, e.g. {@code @Named("websocket")} from
 * arcana-websocket-transport.
 */
public final class TransportSelection {

    private TransportSelection() {
    }

    /** What is wrong with the choice at deployment, if anything (no bean, several beans). */
    public static Optional<String> problem(BeanManager beanManager, String name) {
        Set<Bean<?>> beans = beanManager.getBeans(Transport.class, NamedLiteral.of(name));
        if (beans.isEmpty()) {
            return Optional.of(missing(name));
        }
        try {
            beanManager.resolve(beans);
            return Optional.empty();
        } catch (RuntimeException ambiguous) {
            return Optional.of(ambiguous(name, beans.stream().map(b -> b.getBeanClass().getName()).sorted().toList()));
        }
    }

    /** The transport bean (a client proxy when it is normal-scoped). */
    public static Transport select(Instance<Transport> transports, String name) {
        Instance<Transport> named = transports.select(NamedLiteral.of(name));
        if (named.isUnsatisfied()) {
            throw new IllegalStateException(missing(name));
        }
        if (named.isAmbiguous()) {
            throw new IllegalStateException(ambiguous(name,
                    named.handlesStream().map(h -> h.getBean().getBeanClass().getName()).sorted().toList()));
        }
        return named.get();
    }

    static String missing(String name) {
        return ArcanaSettings.TRANSPORT + "=" + name + ": no CDI bean of type " + Transport.class.getName()
                + " qualified @Named(\"" + name + "\")"
                + "; add the arcana-" + name + "-transport jar to the application";
    }

    private static String ambiguous(String name, java.util.List<String> classes) {
        return ArcanaSettings.TRANSPORT + "=" + name + ": several CDI beans of type " + Transport.class.getName()
                + " are qualified @Named(\"" + name + "\"): " + classes;
    }
}
