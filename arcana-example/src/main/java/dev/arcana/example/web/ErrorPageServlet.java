package dev.arcana.example.web;

import dev.arcana.ee.rest.ErrorEnvelope;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The example's error pages ({@code WEB-INF/web.xml} sends every error status and uncaught
 * exception here): the protocol's JSON envelope {@code {"ok":false,"error","code"}} with a fixed
 * text per status, instead of the server's own page, which names Java classes and server message
 * ids (Liberty: {@code Error 404: java.io.FileNotFoundException: SRVE0190E…}). Plain Servlet API, so
 * the same WAR behaves alike on Liberty, Payara and WildFly. The container logs uncaught exceptions
 * itself; nothing is logged here.
 */
public class ErrorPageServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // requested directly (not as an error dispatch): there is nothing at this path
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer i && i >= 400 ? i : HttpServletResponse.SC_NOT_FOUND;
        ErrorEnvelope envelope = ErrorEnvelope.ofStatus(status);
        response.setStatus(envelope.status());
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        if (!"HEAD".equals(request.getMethod())) {
            response.getWriter().write(envelope.body().toString());
        }
    }
}
