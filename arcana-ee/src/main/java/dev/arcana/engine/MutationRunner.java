package dev.arcana.engine;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.Change;
import dev.arcana.api.Identity;
import dev.arcana.api.Mutation;
import dev.arcana.api.MutationContext;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.MutationQuerier;
import dev.arcana.api.MutationResult;
import dev.arcana.api.NotFoundException;
import dev.arcana.api.Params;
import dev.arcana.engine.jdbc.DataSourceQuerier;
import dev.arcana.engine.mutation.CommitLedger;
import dev.arcana.engine.mutation.MutationMemory;
import dev.arcana.engine.mutation.MutationTransactions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Runs mutations: checks, exactly-once per seance ({@link MutationMemory}), the handler in one
 * transaction, then the commit-time fast path — the declared changes re-run the views at once, the
 * detector's report of the same transaction only what they did not cover ({@link CommitLedger}) —
 * and the reply once those re-runs are applied.
 */
final class MutationRunner {
    private static final System.Logger LOG = System.getLogger(MutationRunner.class.getName());
    /** Attempts of a transaction that failed on a serialization failure or a deadlock (SQLSTATE 40001, 40P01). */
    static final int ATTEMPTS = 3;

    private final Registry registry;
    private final EngineConfig config;
    private final MutationTransactions transactions;
    private final Invalidator invalidator;
    private final CommitLedger<Invalidator.Affected> ledger;
    /** Whether a detector reports commits (then a transaction's id is recorded for it); explicit mode: none. */
    private final boolean detectorReports;
    private final Map<String, WorkspaceState> workspaces;
    private final Function<Identity, Seance> ownSeance;
    private final Consumer<Seance> retireIfUnused;
    private final ScheduledExecutorService canceller;
    private final LongSupplier nanoTime;

    MutationRunner(Registry registry, EngineConfig config, MutationTransactions transactions, Invalidator invalidator,
                   CommitLedger<Invalidator.Affected> ledger, boolean detectorReports,
                   Map<String, WorkspaceState> workspaces, Function<Identity, Seance> ownSeance,
                   Consumer<Seance> retireIfUnused, ScheduledExecutorService canceller, LongSupplier nanoTime) {
        this.registry = registry;
        this.config = config;
        this.transactions = transactions;
        this.invalidator = invalidator;
        this.ledger = ledger;
        this.detectorReports = detectorReports;
        this.workspaces = workspaces;
        this.ownSeance = ownSeance;
        this.retireIfUnused = retireIfUnused;
        this.canceller = canceller;
        this.nanoTime = nanoTime;
    }

    MutationOutcome mutate(Identity identity, String action, Map<String, ?> rawParams, String mutationId) {
        Mutation mutation = registry.mutation(action);
        if (mutation == null) {
            throw NotFoundException.unknownAction(action);
        }
        mutation.authorize(identity);
        if (!MutationMemory.isValidId(mutationId)) {
            throw ArcanaException.badRequest("mutation_id must be 1-64 characters from A-Z a-z 0-9 . _ : -");
        }
        Params params = mutation.resolve(rawParams == null ? Map.of() : rawParams);
        String fingerprint = ParamsHash.of(action, params.asMap());
        Seance seance;
        MutationMemory.Claim claim;
        while (true) {
            seance = ownSeance.apply(identity);
            synchronized (seance) {
                if (seance.isRetired()) {
                    continue;
                }
                seance.touch(nanoTime.getAsLong());
                try {
                    claim = seance.mutations().claim(mutationId, fingerprint, config.mutations().maxInFlightPerSeance());
                } catch (ArcanaException e) {
                    retireIfUnused.accept(seance);
                    throw e;
                }
                break;
            }
        }
        if (claim.isReplay()) {
            return claim.awaitFirst(config.loadTimeout().toMillis() * 2);
        }
        int remembered = config.mutations().rememberedPerSeance();
        try {
            MutationOutcome outcome = execute(mutation, identity, params, mutationId, seance);
            synchronized (seance) {
                seance.mutations().succeeded(claim, outcome, remembered);
                retireIfUnused.accept(seance); // a seance that only ran a mutation without an id keeps nothing
            }
            return outcome;
        } catch (ArcanaException e) {
            settleFailure(seance, claim, e, remembered);
            throw e;
        } catch (RuntimeException | Error e) {
            settleFailure(seance, claim, ArcanaException.internal("mutation '" + action + "' failed", e), remembered);
            throw e;
        }
    }

    private void settleFailure(Seance seance, MutationMemory.Claim claim, ArcanaException error, int remembered) {
        synchronized (seance) {
            seance.mutations().failed(claim, error, remembered);
            retireIfUnused.accept(seance);
        }
    }

    /** The handler in its transaction (retried on serialization failures), then the views, then the outcome. */
    private MutationOutcome execute(Mutation mutation, Identity identity, Params params, String mutationId,
                                    Seance seance) {
        Committed committed = null;
        for (int attempt = 1; committed == null; attempt++) {
            Attempt current = new Attempt();
            try {
                committed = transactions.inTransaction(connection -> current.run(mutation, identity, params,
                        mutationId, connection));
            } catch (ArcanaException e) {
                current.forget();
                throw e; // the handler's own answer (forbidden, not found, invalid params, conflict)
            } catch (Exception e) {
                current.forget();
                if (attempt < ATTEMPTS && isTransient(e)) {
                    LOG.log(System.Logger.Level.DEBUG, "ARCANA-MUTATE: ''{0}'' hit {1}; running it again",
                            mutation.key(), e.getMessage());
                    continue;
                }
                throw ArcanaException.internal("mutation '" + mutation.key() + "' failed", e);
            } catch (Error e) {
                current.forget();
                throw e;
            }
        }
        Invalidator.Affected fastPath = invalidator.invalidate(committed.result().changes());
        Invalidator.Affected reported = awaitReport(committed);
        awaitRuns(mutation, fastPath, reported);
        return outcome(committed, identity, mutationId, seance, fastPath, reported);
    }

    /** A mutation that declared nothing learns its effects from the detector (bounded wait). */
    private Invalidator.Affected awaitReport(Committed committed) {
        if (committed.report() == null) {
            return Invalidator.Affected.NOTHING;
        }
        long waitMillis = config.mutations().detectorWait().toMillis();
        try {
            return committed.report().get(waitMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | CancellationException | ExecutionException e) {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-MUTATE: no detector report of transaction {0} within {1} ms; "
                    + "replying before its effects", committed.xid(), waitMillis);
            return Invalidator.Affected.NOTHING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Invalidator.Affected.NOTHING;
        }
    }

    private void awaitRuns(Mutation mutation, Invalidator.Affected fastPath, Invalidator.Affected reported) {
        try {
            CompletableFuture.allOf(fastPath.runs(), reported.runs())
                    .get(config.loadTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "ARCANA-MUTATE: the views of ''{0}'' did not re-run within {1} ms; "
                    + "replying before they did", mutation.key(), config.loadTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private MutationOutcome outcome(Committed committed, Identity identity, String mutationId, Seance seance,
                                    Invalidator.Affected fastPath, Invalidator.Affected reported) {
        Set<QueryInstance> affected = new LinkedHashSet<>(fastPath.instances());
        affected.addAll(reported.instances());
        WorkspaceState workspace = workspaces.get(identity.workspaceId());
        List<MutationOutcome.ViewVersion> views = new ArrayList<>();
        if (workspace != null && !affected.isEmpty()) {
            List<Subscription> subscriptions;
            synchronized (seance) {
                subscriptions = seance.all();
            }
            for (Subscription subscription : subscriptions) {
                if (affected.contains(subscription.instance())) {
                    views.add(new MutationOutcome.ViewVersion(subscription.view(), subscription.paramsHash(),
                            workspace.version(subscription)));
                }
            }
        }
        List<MutationOutcome.RowVersion> rows = new ArrayList<>();
        if (workspace != null) {
            Set<RowKey> seen = new LinkedHashSet<>();
            List<Change> changes = new ArrayList<>(committed.result().changes());
            changes.addAll(reported.changes());
            for (Change change : changes) {
                if (change.id() != null && seen.add(new RowKey(change.table(), change.id()))) {
                    long version = workspace.announcedRowVersion(change.table(), change.id());
                    if (version > 0) {
                        rows.add(new MutationOutcome.RowVersion(change.table(), change.id(), version));
                    }
                }
            }
        }
        return new MutationOutcome(committed.result().data(), mutationId, views, rows, false);
    }

    private static boolean isTransient(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("40001".equals(sql.getSQLState())
                    || "40P01".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** A committed transaction: the handler's result, its xid, and the detector's report it waits for (or null). */
    private record Committed(MutationResult result, long xid, CompletableFuture<Invalidator.Affected> report) {
    }

    /** One attempt of the transaction; remembers the xid it announced to the ledger, to withdraw it on failure. */
    private final class Attempt {
        private long announcedXid = -1;

        Committed run(Mutation mutation, Identity identity, Params params, String mutationId, Connection connection)
                throws Exception {
            MutationResult result;
            try (DataSourceQuerier querier = DataSourceQuerier.onTransaction(connection, config.queryTimeout(),
                    canceller)) {
                result = mutation.handler().handle(new Context(identity, params, mutationId, querier));
            }
            if (result == null) {
                throw new IllegalStateException("the handler of '" + mutation.key() + "' returned null");
            }
            if (!detectorReports) {
                return new Committed(result, -1, null);
            }
            long xid = assignedXid(connection);
            if (xid < 0) { // wrote nothing on this connection: no report to expect
                return new Committed(result, -1, null);
            }
            announcedXid = xid;
            if (!result.changes().isEmpty() || config.mutations().detectorWait().isZero()) {
                ledger.expect(xid, result.changes());
                return new Committed(result, xid, null);
            }
            return new Committed(result, xid, ledger.awaitReport(xid));
        }

        void forget() {
            if (announcedXid >= 0) {
                ledger.forget(announcedXid);
            }
        }

        private static long assignedXid(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet row = statement.executeQuery("SELECT txid_current_if_assigned()")) {
                row.next();
                long txid = row.getLong(1);
                return row.wasNull() ? -1 : CommitLedger.xid(txid);
            }
        }
    }

    private record Context(Identity identity, Params params, String mutationId, MutationQuerier querier)
            implements MutationContext {
    }
}
