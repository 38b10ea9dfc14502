package dev.offload.bench;

import dev.offload.WorkerPool;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Bounded waits, named daemon threads and bounded shutdowns shared by the event-loop benchmarks, so that a broken
 * variant fails its fork instead of hanging it.
 */
final class BenchThreads {
    /** The longest any benchmark waits for another thread: a broken variant fails after this. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private BenchThreads() {}

    /**
     * Waits for {@code future} at most {@link #TIMEOUT}.
     *
     * @param future what to wait for
     * @param <T> the result type
     * @return its value
     * @throws ExecutionException if it failed
     * @throws TimeoutException if it did not complete in time
     * @throws InterruptedException if interrupted
     */
    static <T> T await(Future<T> future) throws ExecutionException, TimeoutException, InterruptedException {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Waits for {@code future} at most {@link #TIMEOUT}, and says what did not happen if it does not complete.
     *
     * @param future what to wait for
     * @param what what its completion means, in the words of a timeout message, such as
     *     {@code "burst did not complete: variant=offload"}
     * @param <T> the result type
     * @return its value
     * @throws ExecutionException if it failed
     * @throws TimeoutException if it did not complete in time, with {@code what} and the timeout as its message
     * @throws InterruptedException if interrupted
     */
    static <T> T await(Future<T> future, String what)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            TimeoutException described = new TimeoutException(what + ", timeout=" + TIMEOUT);
            described.initCause(e);
            throw described;
        }
    }

    /**
     * Sets what a pool's supervisor watches, for the benchmarks' {@code supervision} parameter: {@code default} (the
     * blocked-task watchdog at its default threshold, no time limit), {@code timeouts} (also a 10 s time limit on
     * every task, so that the supervisor learns of each task's deadline) or {@code off} (no watchdog, no limit).
     *
     * @param builder the pool's builder
     * @param supervision the parameter's value
     * @return the builder
     * @throws IllegalArgumentException for another value
     */
    static WorkerPool.Builder supervised(WorkerPool.Builder builder, String supervision) {
        return switch (supervision) {
            case "default" -> builder;
            case "timeouts" -> builder.taskTimeout(Duration.ofSeconds(10));
            case "off" -> builder.blockedTaskThreshold(Duration.ZERO);
            default ->
                throw new IllegalArgumentException(
                        "supervision must be default, timeouts or off: supervision=" + supervision);
        };
    }

    /**
     * Returns the share of one iteration in the mean over all measurement iterations of all forks.
     *
     * <p>JMH sums an {@code @AuxCounters(EVENTS)} field over every measurement iteration of every fork. A field that
     * holds a per-iteration figure (a percentile, a percentage) multiplied by this share therefore reports the mean of
     * that figure over the iterations; in the JSON raw data each iteration shows its figure times this share.
     *
     * @param benchmark the benchmark's parameters (for the fork count)
     * @param iteration the iteration's parameters
     * @return {@code 1 / (measurement iterations * forks)} in a measurement iteration, else 1
     */
    static double meanShare(BenchmarkParams benchmark, IterationParams iteration) {
        if (iteration.getType() != IterationType.MEASUREMENT) {
            return 1.0;
        }
        return 1.0 / ((double) iteration.getCount() * Math.max(1, benchmark.getForks()));
    }

    /**
     * Returns a factory of daemon platform threads named {@code prefix-1}, {@code prefix-2}, and so on.
     *
     * @param prefix the name prefix
     * @return the factory
     */
    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Shuts {@code executor} down and waits at most {@link #TIMEOUT} for it to end.
     *
     * @param executor the executor, may be null (nothing to do)
     * @throws IllegalStateException if it did not end in time
     * @throws InterruptedException if interrupted
     */
    static void shutdown(ExecutorService executor) throws InterruptedException {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        if (!executor.awaitTermination(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            executor.shutdownNow();
            throw new IllegalStateException("executor did not terminate: executor=" + executor);
        }
    }

    /**
     * Closes {@code resource} on a helper thread and waits at most {@link #TIMEOUT} for the close to return, since
     * a graceful close may wait for other threads.
     *
     * @param resource what to close, may be null (nothing to do)
     * @throws IllegalStateException if the close did not return in time, or failed
     * @throws InterruptedException if interrupted
     */
    static void close(AutoCloseable resource) throws InterruptedException {
        if (resource == null) {
            return;
        }
        Throwable[] failure = new Throwable[1];
        Thread closer = daemonThreads("bench-close").newThread(() -> {
            try {
                resource.close();
            } catch (Throwable t) {
                failure[0] = t;
            }
        });
        closer.start();
        closer.join(TIMEOUT);
        if (closer.isAlive()) {
            throw new IllegalStateException("close did not return in time: resource=" + resource);
        }
        if (failure[0] != null) { // written before the closer ended; join() makes it visible here
            throw new IllegalStateException("close failed: resource=" + resource, failure[0]);
        }
    }

    /**
     * Waits at most {@link #TIMEOUT} for {@code thread} to end.
     *
     * @param thread the thread, may be null (nothing to do)
     * @throws IllegalStateException if it did not end in time
     * @throws InterruptedException if interrupted
     */
    static void join(Thread thread) throws InterruptedException {
        if (thread != null && !thread.join(TIMEOUT)) {
            throw new IllegalStateException("thread did not end: thread=" + thread.getName());
        }
    }
}
