package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A send runs with a context class loader that finds no resources (a container that captures context per message,
 * as Payara's Tyrus does, then scans no application jar), and the thread gets the application's loader back.
 */
class SessionSinkTest {

    @Test
    void aSendSeesNoApplicationResourcesAndTheThreadGetsItsLoaderBack() throws Exception {
        List<ClassLoader> duringSend = new ArrayList<>();
        Session session = session((text, handler) -> {
            duringSend.add(Thread.currentThread().getContextClassLoader());
            handler.onResult(new SendResult());
        });
        ClassLoader application = new URLClassLoader(new URL[] {SessionSinkTest.class.getProtectionDomain()
                .getCodeSource().getLocation()}, getClass().getClassLoader());
        Thread.currentThread().setContextClassLoader(application);
        AtomicReference<Throwable> completion = new AtomicReference<>(new AssertionError("not completed"));
        try {
            new SessionSink(session, Runnable::run).sendText("{}", completion::set);

            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(application);
        } finally {
            Thread.currentThread().setContextClassLoader(getClass().getClassLoader());
        }
        assertThat(completion.get()).as("completed without failure").isNull();
        assertThat(duringSend).hasSize(1);
        ClassLoader loader = duringSend.get(0);
        assertThat(loader).isNotSameAs(application);
        assertThat(application.getResource("dev/arcana/websocket/SessionSinkTest.class")).isNotNull();
        assertThat(loader.getResource("dev/arcana/websocket/SessionSinkTest.class")).isNull();
        assertThat(Collections.list(loader.getResources("META-INF/services/jakarta.websocket.ContainerProvider")))
                .isEmpty();
    }

    private interface Send {
        void send(String text, SendHandler handler);
    }

    private static Session session(Send send) {
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(SessionSinkTest.class.getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (proxy, method, args) -> {
                    if (method.getName().equals("sendText") && args.length == 2) {
                        send.send((String) args[0], (SendHandler) args[1]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return (Session) Proxy.newProxyInstance(SessionSinkTest.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getAsyncRemote")) {
                        return remote;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
