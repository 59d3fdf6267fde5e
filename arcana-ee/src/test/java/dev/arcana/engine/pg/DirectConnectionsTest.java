package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectConnectionsTest {

    @Test
    void aDataSourcesUrlLosesTheParametersThatWouldOverrideTheDetectorsOwn() {
        // what pgjdbc's connection metadata reports for a connection of a PGConnectionPoolDataSource
        DirectConnections connections = new DirectConnections("jdbc:postgresql://db:5432/app?ApplicationName=PostgreSQL"
                + "%20JDBC%20Driver&sslmode=require&socketTimeout=0&connectTimeout=10&tcpKeepAlive=false&password=s3cret",
                "app", null);

        assertThat(connections.url()).isEqualTo("jdbc:postgresql://db:5432/app?sslmode=require&password=s3cret");
        assertThat(connections.toString()).doesNotContain("s3cret").contains("jdbc:postgresql://db:5432/app?...");
    }

    @Test
    void aUrlWithoutParametersOrWithOnlyOwnedOnesIsLeftPlain() {
        assertThat(new DirectConnections("jdbc:postgresql://db/app", null, null).url()).isEqualTo("jdbc:postgresql://db/app");
        assertThat(new DirectConnections("jdbc:postgresql://db/app?applicationname=x", null, null).url())
                .isEqualTo("jdbc:postgresql://db/app");
    }
}
