package dev.arcana.centrifugo;

import dev.arcana.api.ForbiddenException;
import dev.arcana.api.Identity;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Tokens that authorise a browser for exactly its own channels, signed with Centrifugo's HMAC
 * secret ({@code client.token.hmac_secret_key}, here {@code arcana.centrifugo.token-secret}).
 *
 * <p>Centrifugo's user is the Arcana <b>seance</b> ({@code sub} = seance id): a seance is one
 * browser tab, {@link #channelsOf} are its channels, and {@code /api/disconnect} with
 * {@code user} = seance id closes exactly that tab's connections when the engine drops the seance.
 * The application's user and workspace go in {@code info}, visible to presence and proxies.
 */
public final class CentrifugoTokens {
    private final Hs256Jwt jwt;
    private final Channels channels;
    private final Duration ttl;
    private final Clock clock;

    public CentrifugoTokens(byte[] secret, Channels channels, Duration ttl, Clock clock) {
        this.jwt = new Hs256Jwt(secret);
        this.channels = Objects.requireNonNull(channels, "channels");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The channels an identity may read: its workspace's {@code table_diff}s and its seance's pushes. */
    public List<String> channelsOf(Identity identity) {
        return List.of(channels.workspace(identity.workspaceId()), channels.seance(identity.seanceId()));
    }

    /**
     * A connection token: {@code sub} (the seance), {@code exp}, {@code iat}, {@code info}
     * ({@code user}, {@code workspace}) and {@code channels}: Centrifugo subscribes the connection
     * to those server-side, so the browser needs no subscription of its own.
     */
    public String connectionToken(Identity identity) {
        long now = clock.instant().getEpochSecond();
        var list = Json.createArrayBuilder();
        channelsOf(identity).forEach(list::add);
        JsonObject claims = Json.createObjectBuilder()
                .add("sub", identity.seanceId())
                .add("exp", now + ttl.toSeconds())
                .add("iat", now)
                .add("info", Json.createObjectBuilder()
                        .add("user", identity.userId())
                        .add("workspace", identity.workspaceId()))
                .add("channels", list)
                .build();
        return jwt.sign(claims);
    }

    /**
     * A subscription token for one of the identity's channels ({@code sub}, {@code channel},
     * {@code exp}, {@code iat}), for clients that subscribe themselves.
     *
     * @throws ForbiddenException for any other channel
     */
    public String subscriptionToken(Identity identity, String channel) {
        if (!channelsOf(identity).contains(channel)) {
            throw new ForbiddenException("channel '" + channel + "' is not one of this seance's channels "
                    + channelsOf(identity));
        }
        long now = clock.instant().getEpochSecond();
        JsonObject claims = Json.createObjectBuilder()
                .add("sub", identity.seanceId())
                .add("channel", channel)
                .add("exp", now + ttl.toSeconds())
                .add("iat", now)
                .build();
        return jwt.sign(claims);
    }

    public Duration ttl() {
        return ttl;
    }
}
