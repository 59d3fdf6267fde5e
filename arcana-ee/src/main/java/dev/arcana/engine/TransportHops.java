package dev.arcana.engine;

import java.util.Map;

/**
 * A transport that times its own part of a change's way to the client (e.g. {@code written}: a
 * push handed to the transport → written to the socket). The engine lists these hops after its
 * own in {@link ArcanaEngine#runHops()}, so the health document and DevTools show the whole way.
 */
public interface TransportHops {

    /** The transport's hops by name, in order: the live histograms it records into. */
    Map<String, LatencyHistogram> transportHops();
}
