package dev.arcana.centrifugo;

import java.util.concurrent.atomic.LongAdder;

/** The transport's running counts, shared by the API client and the publisher. */
final class Counters {
    final LongAdder published = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder failedRequests = new LongAdder();
    final LongAdder apiErrors = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder resyncs = new LongAdder();
}
