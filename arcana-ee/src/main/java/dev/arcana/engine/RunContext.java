package dev.arcana.engine;

import dev.arcana.api.GraphContext;
import dev.arcana.api.Identity;
import dev.arcana.api.Params;
import dev.arcana.api.Querier;

/** What one factory run sees. */
record RunContext(Identity identity, Params params, Querier querier) implements GraphContext {
}
