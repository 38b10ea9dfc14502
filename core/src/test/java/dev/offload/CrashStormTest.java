package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Fault injection, nothing lost: 100,000 tasks from an event loop, of which about 10 % throw, 1 % overflow their stack
 * (real recursion, which crashes the worker) and 0.1 % ignore the cancel of their timeout (which abandons the
 * worker). Every future completes exactly once, the counters add up exactly, restarts keep to the backoff, the pool
 * ends at its size, and after {@code close(Duration)} nothing of the pool runs but the abandoned threads it reported.
 */
class CrashStormTest {
    private static final int TASKS = 100_000;
    private static final int IN_FLIGHT = 64;
    private static final CountDownLatch RELEASE_STUBBORN = new CountDownLatch(1);
    private static final TaskOptions STUBBORN_LIMIT = TaskOptions.DEFAULT.withTimeout(Duration.ofMillis(20));

    enum Kind {
        OK,
        THROW,
        OVERFLOW,
        STUBBORN
    }

    static int run(Kind kind) {
        return switch (kind) {
            case OK -> 1;
            case THROW -> throw new IllegalStateException("task failed on purpose");
            case OVERFLOW -> recurse(0);
            case STUBBORN -> {
                while (RELEASE_STUBBORN.getCount() > 0) {
                    try {
                        RELEASE_STUBBORN.await();
                    } catch (InterruptedException ignored) {
                        // ignores its cancel on purpose
                    }
                }
                yield 1;
            }
        };
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    /** Outcomes the loop saw, by kind of failure. */
    static final class Tally {
        final AtomicInteger values = new AtomicInteger();
        final AtomicInteger thrown = new AtomicInteger();
        final AtomicInteger crashed = new AtomicInteger();
        final AtomicInteger timedOut = new AtomicInteger();
        final AtomicInteger other = new AtomicInteger();
        final AtomicInteger completions = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(TASKS);

        void record(Integer value, Throwable failure) {
            completions.incrementAndGet();
            Throwable t = failure instanceof java.util.concurrent.CompletionException c ? c.getCause() : failure;
            if (t == null) {
                values.incrementAndGet();
            } else if (t instanceof WorkerCrashedException w && w.getCause() instanceof StackOverflowError) {
                crashed.incrementAndGet();
            } else if (t instanceof TaskTimeoutException) {
                timedOut.incrementAndGet();
            } else if (t instanceof IllegalStateException) {
                thrown.incrementAndGet();
            } else {
                other.incrementAndGet();
            }
            done.countDown();
        }
    }

    @Test
    void crashStorm_everyFutureOnce_countsExact_backoffKept_poolAtSize_closeLeavesOnlyAbandoned() {
        List<long[]> restartWindows = new CopyOnWriteArrayList<>(); // {crashEventNanos, delayNanos}
        long[] lastCrash = new long[1]; // the listener runs on the supervisor thread only
        List<Long> starts = new CopyOnWriteArrayList<>();
        Set<Integer> abandoned = ConcurrentHashMap.newKeySet();
        RestartPolicy policy =
                new RestartPolicy(Duration.ofMillis(2), 2.0, Duration.ofMillis(8), Duration.ofSeconds(5), 1_000_000);
        WorkerPool pool = WorkerPool.builder()
                .name("t-storm")
                .minWorkers(2)
                .maxWorkers(2)
                .maxQueue(256)
                .cancelGracePeriod(Duration.ofMillis(20))
                .restartPolicy(policy)
                .listener(e -> {
                    if (e instanceof PoolEvent.WorkerStarted) {
                        starts.add(System.nanoTime()); // emitted where the supervisor starts the thread
                    } else if (e instanceof PoolEvent.WorkerCrashed) {
                        lastCrash[0] = System.nanoTime(); // before the backoff's clock reading for this crash
                    } else if (e instanceof PoolEvent.WorkerRestartScheduled r) {
                        // The delay counts from a reading after the crash event: a window from the crash event's
                        // stamp lies inside the backoff, however late the supervisor thread reached this line.
                        restartWindows.add(new long[] {lastCrash[0], r.delay().toNanos()});
                    } else if (e instanceof PoolEvent.WorkerAbandoned a) {
                        abandoned.add(a.workerId());
                    }
                })
                .build();
        EventLoop loop = EventLoop.start("t-storm");
        Tally tally = new Tally();
        int[] planned = new int[Kind.values().length];
        SplittableRandom random = new SplittableRandom(42);
        Kind[] kinds = new Kind[TASKS];
        for (int i = 0; i < TASKS; i++) {
            int roll = random.nextInt(1000);
            kinds[i] = roll < 1 ? Kind.STUBBORN : roll < 11 ? Kind.OVERFLOW : roll < 111 ? Kind.THROW : Kind.OK;
            planned[kinds[i].ordinal()]++;
        }
        try {
            AtomicInteger next = new AtomicInteger();
            Runnable[] pump = new Runnable[1];
            pump[0] = () -> {
                int i = next.getAndIncrement();
                if (i < TASKS) {
                    // Only the stubborn tasks get a time limit: a quick task descheduled on a busy machine must not
                    // time out and blur the counts.
                    TaskOptions options = kinds[i] == Kind.STUBBORN ? STUBBORN_LIMIT : TaskOptions.DEFAULT;
                    pool.submit(CrashStormTest::run, kinds[i], options).whenComplete((v, t) -> {
                        tally.record(v, t);
                        pump[0].run();
                    });
                }
            };
            loop.execute(() -> {
                for (int k = 0; k < IN_FLIGHT; k++) {
                    pump[0].run();
                }
            });
            Await.latchFor(tally.done, Duration.ofMinutes(3), "every future of the storm completes");

            assertEquals(TASKS, tally.completions.get(), "a future completed twice or not at all");
            assertEquals(0, tally.other.get(), "unexpected failures");
            assertEquals(planned[Kind.OK.ordinal()], tally.values.get());
            assertEquals(planned[Kind.THROW.ordinal()], tally.thrown.get());
            assertEquals(planned[Kind.OVERFLOW.ordinal()], tally.crashed.get());
            assertEquals(planned[Kind.STUBBORN.ordinal()], tally.timedOut.get());

            PoolStats s = pool.stats();
            assertEquals(TASKS, s.submitted());
            assertEquals(tally.values.get(), s.completed());
            assertEquals(TASKS - tally.values.get(), s.failed());
            assertEquals(0, s.cancelled() + s.rejected());
            assertEquals(tally.timedOut.get(), s.timedOut());
            assertEquals(planned[Kind.OVERFLOW.ordinal()], s.workerCrashes());
            // A worker is abandoned a grace period after its task's timeout completed the future.
            Await.until(
                    () -> pool.stats().workersAbandoned() == planned[Kind.STUBBORN.ordinal()],
                    "every stubborn task's worker abandoned");
            Await.until(() -> pool.stats().workers() == 2, "the pool back at its size");

            for (long[] window : restartWindows) {
                long from = window[0];
                long until = from + window[1];
                // Both events come from the supervisor thread, in order: no start may fall inside a backoff.
                for (long start : starts) {
                    assertTrue(
                            start - from <= 0 || start - until >= 0,
                            "a worker started " + (start - from) + " ns into a backoff of " + window[1] + " ns");
                }
            }
        } finally {
            MisuseTest.closeWithin(() -> pool.close(Duration.ofSeconds(2)), "close(2 s) after the storm");
            loop.close();
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (t.isAlive() && name.startsWith("t-storm-worker-")) {
                int id = Integer.parseInt(name.substring("t-storm-worker-".length()));
                assertTrue(abandoned.contains(id), "a worker runs after close without having been reported: " + name);
            }
            if (name.equals("t-storm-supervisor")) {
                // close(Duration) returns before the supervisor reports the change to CLOSED (its javadoc): the
                // supervisor ends once it has, on its own.
                Await.until(() -> !t.isAlive(), "the supervisor thread ended after close(2 s) returned");
            }
        }
        RELEASE_STUBBORN.countDown();
        assertEquals(PoolState.CLOSED, pool.state());
        assertEquals(0, pool.stats().inFlight());
    }
}
