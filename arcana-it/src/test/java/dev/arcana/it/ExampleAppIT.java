package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Black-box checks that the example app is deployed at / on Liberty and reaches its PostgreSQL. */
@Tag(ExampleServer.PORTABLE)
class ExampleAppIT {

    @BeforeAll
    static void serverIsUp() {
        ExampleServer.awaitReady();
    }

    @Test
    void pingAnswersOkWithTheDemoUsers() throws Exception {
        HttpResponse<String> response = ExampleServer.get("/api/ping");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonObject ping = ExampleServer.json(response.body());
        assertThat(ping.getBoolean("ok")).isTrue();
        assertThat(ping.getJsonNumber("users").longValue()).isPositive();
    }

    @Test
    void servesTheDemoPageAtTheRoot() throws Exception {
        HttpResponse<String> response = ExampleServer.get("/");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/html"));
        assertThat(response.body()).contains("Arcana demo");
    }
}
