package dev.arcana.api.spi;

import java.util.Objects;

/** A push addressed to one seance ({@code views:{seance}}) or one workspace ({@code workspace:{id}}). */
public record Delivery(Audience audience, String target, Push push) {

    public enum Audience { SEANCE, WORKSPACE }

    public Delivery {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(push, "push");
    }

    public static Delivery toSeance(String seanceId, Push push) {
        return new Delivery(Audience.SEANCE, seanceId, push);
    }

    public static Delivery toWorkspace(String workspaceId, Push push) {
        return new Delivery(Audience.WORKSPACE, workspaceId, push);
    }
}
