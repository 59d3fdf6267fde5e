package dev.arcana.ee.rest;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ext.Provider;
import org.junit.jupiter.api.Test;

class ArcanaRestApplicationTest {

    @Test
    void servesOnlyArcanasResourceAndMappersAtArcana() {
        ArcanaRestApplication application = new ArcanaRestApplication();

        assertThat(ArcanaRestApplication.class.getAnnotation(ApplicationPath.class).value()).isEqualTo("arcana");
        assertThat(application.getClasses()).containsExactlyInAnyOrder(ArcanaResource.class, DevtoolsResource.class,
                ArcanaExceptionMapper.class, WebApplicationExceptionMapper.class, UnexpectedErrorMapper.class);
        assertThat(application.getProperties()).containsEntry(ArcanaRestApplication.MARKER_PROPERTY, true);
        assertThat(ArcanaResource.class.getAnnotation(Path.class).value()).isEqualTo("/");
        assertThat(DevtoolsResource.class.getAnnotation(Path.class).value()).isEqualTo("devtools");
    }

    @Test
    void mappersAreNotDiscoverableByTheApplicationsOwnJaxRsApplication() {
        // with @Provider, a scanning application would map its own resources' exceptions to Arcana's envelope
        assertThat(ArcanaExceptionMapper.class.getAnnotation(Provider.class)).isNull();
        assertThat(WebApplicationExceptionMapper.class.getAnnotation(Provider.class)).isNull();
        assertThat(UnexpectedErrorMapper.class.getAnnotation(Provider.class)).isNull();
    }
}
