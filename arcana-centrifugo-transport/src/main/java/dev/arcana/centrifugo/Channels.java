package dev.arcana.centrifugo;

import dev.arcana.api.spi.Delivery;
import java.util.Objects;

/**
 * Where a delivery goes in Centrifugo: {@code {workspaceNamespace}:{workspaceId}} for the
 * {@code table_diff}s of a workspace, {@code {viewsNamespace}:{seanceId}} for the pushes of one
 * seance (defaults {@code workspace:} and {@code views:}, as in the protocol).
 */
public final class Channels {
    private final String workspacePrefix;
    private final String viewsPrefix;

    public Channels(String workspaceNamespace, String viewsNamespace) {
        this.workspacePrefix = Objects.requireNonNull(workspaceNamespace, "workspaceNamespace") + ":";
        this.viewsPrefix = Objects.requireNonNull(viewsNamespace, "viewsNamespace") + ":";
    }

    public static Channels of(CentrifugoSettings settings) {
        return new Channels(settings.workspaceNamespace(), settings.viewsNamespace());
    }

    public String of(Delivery delivery) {
        return delivery.audience() == Delivery.Audience.WORKSPACE ? workspace(delivery.target())
                : seance(delivery.target());
    }

    public String workspace(String workspaceId) {
        return workspacePrefix + workspaceId;
    }

    public String seance(String seanceId) {
        return viewsPrefix + seanceId;
    }
}
