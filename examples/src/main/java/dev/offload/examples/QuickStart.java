package dev.offload.examples;

import dev.offload.EventLoop;
import dev.offload.PoolStats;
import dev.offload.WorkerPool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The quick start: an event loop offloads CPU-heavy hashing to a worker pool and gets every result back on its own
 * thread, where it can touch its state without locks.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec}
 */
public final class QuickStart {
    private static final int REQUESTS = 1_000;

    private QuickStart() {}

    /**
     * The CPU-heavy task: 10,000 rounds of SHA-256 over the input. Runs on a worker thread.
     *
     * @param text the input
     * @return the final digest in hex
     * @throws NoSuchAlgorithmException never: SHA-256 is in every JDK
     */
    static String stretch(String text) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] digest = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 10_000; i++) {
            digest = sha.digest(digest);
        }
        return HexFormat.of().formatHex(digest);
    }

    /**
     * Runs the example: 1,000 requests offloaded from the loop, results counted on the loop.
     *
     * @param args ignored
     * @throws Exception if the example does not finish within a minute
     */
    public static void main(String[] args) throws Exception {
        try (EventLoop loop = EventLoop.start("main-loop");
                WorkerPool pool = WorkerPool.create(Runtime.getRuntime().availableProcessors())) {
            CompletableFuture<String> done = new CompletableFuture<>();
            loop.execute(() -> {
                int[] answered = {0}; // touched only on the loop thread: no lock, no atomic
                for (int i = 0; i < REQUESTS; i++) {
                    pool.submit(QuickStart::stretch, "request-" + i).thenAccept(hex -> {
                        if (!loop.inEventLoop()) {
                            done.completeExceptionally(new IllegalStateException("callback off the loop"));
                        }
                        if (++answered[0] == REQUESTS) {
                            done.complete(hex);
                        }
                    });
                }
            });
            String last = done.get(1, TimeUnit.MINUTES);
            PoolStats stats = pool.stats();
            System.out.printf(
                    "%d requests hashed on %d workers, every result back on %s; last digest %s...%n",
                    stats.completed(), stats.workers(), loop.name(), last.substring(0, 16));
            System.out.printf(
                    "run time p50 %d us, p99 %d us; wait time p99 %d us; loop utilization %.0f%%%n",
                    stats.runTime().p50().toNanos() / 1000,
                    stats.runTime().p99().toNanos() / 1000,
                    stats.waitTime().p99().toNanos() / 1000,
                    100 * loop.utilization().utilization());
        }
    }
}
