package dev.arcana.engine;

import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.PushType;
import dev.arcana.api.spi.Transport;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/** An in-memory transport that records every delivery in publication order. */
final class RecordingTransport implements Transport {
    private final List<Delivery> deliveries = new ArrayList<>();
    private final List<String> disconnected = new ArrayList<>();
    /** Seances this transport claims to hold (connected), as a WebSocket hub would. */
    final Set<String> held = ConcurrentHashMap.newKeySet();

    @Override
    public synchronized void publish(List<Delivery> batch) {
        deliveries.addAll(batch);
    }

    @Override
    public synchronized void disconnectSeance(String seanceId) {
        disconnected.add(seanceId);
    }

    @Override
    public boolean holdsSeance(String seanceId) {
        return held.contains(seanceId);
    }

    synchronized List<Delivery> all() {
        return List.copyOf(deliveries);
    }

    synchronized List<String> disconnected() {
        return List.copyOf(disconnected);
    }

    synchronized void clear() {
        deliveries.clear();
    }

    /** Data of the pushes of one type sent to one seance. */
    List<JsonObject> toSeance(String seanceId, PushType type) {
        return select(d -> d.audience() == Delivery.Audience.SEANCE && d.target().equals(seanceId)
                && d.push().type() == type);
    }

    /** Data of the pushes of one type broadcast to one workspace. */
    List<JsonObject> toWorkspace(String workspaceId, PushType type) {
        return select(d -> d.audience() == Delivery.Audience.WORKSPACE && d.target().equals(workspaceId)
                && d.push().type() == type);
    }

    synchronized List<JsonObject> select(Predicate<Delivery> filter) {
        List<JsonObject> data = new ArrayList<>();
        for (Delivery delivery : deliveries) {
            if (filter.test(delivery)) {
                data.add(delivery.push().data());
            }
        }
        return data;
    }
}
