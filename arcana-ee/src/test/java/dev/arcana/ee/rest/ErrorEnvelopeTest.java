package dev.arcana.ee.rest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.ForbiddenException;
import dev.arcana.api.InvalidParamsException;
import dev.arcana.api.MutationRejectedException;
import dev.arcana.api.NotFoundException;
import dev.arcana.api.NotStartedException;
import dev.arcana.api.TooManySubscriptionsException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorEnvelopeTest {

    @Test
    void protocolErrorsKeepTheirStatusCodeAndSafeMessage() {
        assertEnvelope(ErrorEnvelope.of(ArcanaException.badRequest("'view' is required")),
                400, "{\"ok\":false,\"error\":\"'view' is required\",\"code\":\"bad_request\"}");
        assertEnvelope(ErrorEnvelope.of(new ArcanaException(ErrorCode.TOO_LARGE, "request body exceeds 10 bytes")),
                413, "{\"ok\":false,\"error\":\"request body exceeds 10 bytes\",\"code\":\"too_large\"}");
        assertEnvelope(ErrorEnvelope.of(new InvalidParamsException("limit", "param 'limit' must be an integral number, got 1.7")),
                400, "{\"ok\":false,\"error\":\"param 'limit' must be an integral number, got 1.7\",\"code\":\"invalid_params\"}");
        assertEnvelope(ErrorEnvelope.of(ArcanaException.unauthorized("not authenticated")),
                401, "{\"ok\":false,\"error\":\"not authenticated\",\"code\":\"unauthorized\"}");
        assertEnvelope(ErrorEnvelope.of(new ForbiddenException("permission 'tasks.read' required")),
                403, "{\"ok\":false,\"error\":\"permission 'tasks.read' required\",\"code\":\"forbidden\"}");
        assertEnvelope(ErrorEnvelope.of(NotFoundException.unknownView("nope")),
                404, "{\"ok\":false,\"error\":\"unknown view 'nope'\",\"code\":\"not_found\"}");
        assertEnvelope(ErrorEnvelope.of(new TooManySubscriptionsException(100)),
                429, "{\"ok\":false,\"error\":\"subscription limit of 100 per seance reached\",\"code\":\"too_many_subscriptions\"}");
        assertEnvelope(ErrorEnvelope.of(new NotStartedException()),
                503, "{\"ok\":false,\"error\":\"engine is not running\",\"code\":\"not_ready\"}");
    }

    @Test
    void aRefusedMutationCarriesTheApplicationsReason() {
        assertEnvelope(ErrorEnvelope.of(new MutationRejectedException("title_taken", "A task with this title already exists")),
                409, "{\"ok\":false,\"error\":\"A task with this title already exists\",\"code\":\"conflict\","
                        + "\"reason\":\"title_taken\"}");
        assertEnvelope(ErrorEnvelope.of(new MutationRejectedException("title_taken", null)),
                409, "{\"ok\":false,\"error\":\"conflict\",\"code\":\"conflict\",\"reason\":\"title_taken\"}");
    }

    @Test
    void anInternalErrorShowsItsSafeMessageButNeverItsCause() {
        SQLException sql = new SQLException("ERROR: relation \"secret_table\" does not exist; select * from secret_table", "42P01");
        ErrorEnvelope envelope = ErrorEnvelope.of(ArcanaException.internal("view 'task_list' could not be loaded", sql));

        assertEnvelope(envelope, 500, "{\"ok\":false,\"error\":\"view 'task_list' could not be loaded\",\"code\":\"internal\"}");
        assertThat(envelope.body().toString()).doesNotContain("secret_table", "42P01", "SQLException", "at dev.");
    }

    @Test
    void anUnexpectedErrorShowsOnlyAGenericMessageAndTheLogReference() {
        assertEnvelope(ErrorEnvelope.unexpected("5f3a9c"), 500,
                "{\"ok\":false,\"error\":\"internal error (ref 5f3a9c)\",\"code\":\"internal\"}");
    }

    @Test
    void aMissingMessageFallsBackToTheCode() {
        assertEnvelope(ErrorEnvelope.of(new ArcanaException(ErrorCode.FORBIDDEN, null)), 403,
                "{\"ok\":false,\"error\":\"forbidden\",\"code\":\"forbidden\"}");
    }

    @ParameterizedTest
    @CsvSource({
            "400, 400, bad_request, bad request",
            "401, 401, unauthorized, not authenticated",
            "403, 403, forbidden, forbidden",
            "404, 404, not_found, no such endpoint",
            "405, 405, bad_request, method not allowed",
            "406, 406, bad_request, responses are application/json",
            "413, 413, too_large, request body too large",
            "415, 415, bad_request, request bodies must be application/json",
            "409, 409, bad_request, bad request",
            "503, 503, not_ready, not ready",
            "502, 500, internal, internal error",
            "500, 500, internal, internal error",
    })
    void runtimeStatusesMapToTheClosestProtocolCode(int status, int expectedStatus, String code, String message) {
        assertEnvelope(ErrorEnvelope.ofStatus(status), expectedStatus,
                "{\"ok\":false,\"error\":\"" + message + "\",\"code\":\"" + code + "\"}");
    }

    private static void assertEnvelope(ErrorEnvelope envelope, int status, String json) {
        assertThat(envelope.status()).isEqualTo(status);
        assertThat(envelope.body().toString()).isEqualTo(json);
    }
}
