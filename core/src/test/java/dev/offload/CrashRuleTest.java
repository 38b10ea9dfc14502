package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A bad task is not a bad worker: a crash that a task caused is replaced at once and counts nothing towards the
 * restart limit, while a worker that cannot live (its start fails) goes the PM2 way; and a pool whose workers cannot
 * start fails what it accepted at once instead of holding it, and its close, for the whole backoff.
 */
class CrashRuleTest {
    private static final int STORM_TASKS = 100_000;
    private static final int IN_FLIGHT = 64;

    enum Kind {
        OK,
        THROW,
        OVERFLOW,
        OUT_OF_MEMORY
    }

    /** One in ten throws, one in a hundred overflows its stack, one in a thousand allocates an impossible array. */
    static Kind kindOf(int i) {
        int roll = i % 1000;
        return roll < 1 ? Kind.OUT_OF_MEMORY : roll < 11 ? Kind.OVERFLOW : roll < 111 ? Kind.THROW : Kind.OK;
    }

    static int run(Kind kind) {
        return switch (kind) {
            case OK -> 1;
            case THROW -> throw new IllegalArgumentException("task failed on purpose");
            case OVERFLOW -> recurse(0);
            case OUT_OF_MEMORY -> new long[Integer.MAX_VALUE - 8].length;
        };
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void crashStorm_withTheDefaultPolicy_endsRunning_withExactCounts_andNoRestartWaitsForATaskCausedCrash() {
        List<PoolEvent.WorkerRestartScheduled> restarts = new CopyOnWriteArrayList<>();
        AtomicInteger crashEvents = new AtomicInteger();
        AtomicInteger failedState = new AtomicInteger();
        WorkerPool pool = WorkerPool.builder()
                .name("t-default-storm")
                .listener(e -> {
                    if (e instanceof PoolEvent.WorkerRestartScheduled r) {
                        restarts.add(r);
                    } else if (e instanceof PoolEvent.WorkerCrashed) {
                        crashEvents.incrementAndGet();
                    } else if (e instanceof PoolEvent.StateChanged s && s.to() == PoolState.FAILED) {
                        failedState.incrementAndGet();
                    }
                })
                .build();
        int[] counts = new int[4]; // values, thrown, crashed with the cause kept, other; loop thread only
        CountDownLatch done = new CountDownLatch(STORM_TASKS);
        AtomicInteger refused = new AtomicInteger();
        try (EventLoop loop = EventLoop.start("t-default-storm")) {
            int[] next = {0};
            Runnable[] pump = new Runnable[1];
            pump[0] = () -> {
                int i = next[0]++;
                if (i >= STORM_TASKS) {
                    return;
                }
                Kind kind = kindOf(i);
                CompletableFuture<Integer> f;
                try {
                    f = pool.submit(CrashRuleTest::run, kind);
                } catch (RuntimeException refusal) {
                    refused.incrementAndGet();
                    done.countDown();
                    pump[0].run();
                    return;
                }
                f.whenComplete((v, t) -> {
                    Throwable cause = t instanceof CompletionException c ? c.getCause() : t;
                    if (cause == null) {
                        counts[0]++;
                    } else if (cause instanceof IllegalArgumentException && kind == Kind.THROW) {
                        counts[1]++;
                    } else if (cause instanceof WorkerCrashedException w
                            && (kind == Kind.OVERFLOW
                                    ? w.getCause() instanceof StackOverflowError
                                    : kind == Kind.OUT_OF_MEMORY && w.getCause() instanceof OutOfMemoryError)) {
                        counts[2]++;
                    } else {
                        counts[3]++;
                    }
                    done.countDown();
                    pump[0].run();
                });
            };
            loop.execute(() -> {
                for (int k = 0; k < IN_FLIGHT; k++) {
                    pump[0].run();
                }
            });
            Await.latchFor(done, Duration.ofMinutes(3), "every task of the storm ends");
            int[] seen = Await.onLoop(loop, counts::clone);
            assertEquals(0, refused.get(), "tasks refused: the pool stopped taking tasks during the storm");
            assertEquals(0, failedState.get(), "the pool went FAILED for crashes its tasks caused");
            assertEquals(88_900, seen[0], "values");
            assertEquals(10_000, seen[1], "tasks that threw, with their own exception");
            assertEquals(
                    1_100, seen[2], "tasks that crashed their worker, failed with WorkerCrashedException and cause");
            assertEquals(0, seen[3], "other outcomes");
            assertEquals(PoolState.RUNNING, pool.state());
            PoolStats s = pool.stats();
            assertEquals(STORM_TASKS, s.submitted());
            assertEquals(88_900, s.completed());
            assertEquals(11_100, s.failed());
            assertEquals(0, s.rejected() + s.cancelled());
            assertEquals(1_100, s.workerCrashes());
            Await.until(() -> crashEvents.get() == 1_100, "a WorkerCrashed event for every crash");
            // Every crash was a task's (the crashing tasks come in runs of ten: a replacement's first task crashes
            // too): each replaced at once, none counted towards maxRestarts, none waiting for a backoff.
            Await.until(() -> restarts.size() == 1_100, "a restart for every crash");
            for (PoolEvent.WorkerRestartScheduled r : restarts) {
                assertEquals(0, r.unstableRestarts(), "a task-caused crash counted as unstable: " + r);
                assertEquals(Duration.ZERO, r.delay(), "a task-caused crash waited for a backoff: " + r);
            }
        } finally {
            MisuseTest.closeWithin(pool::close, "close after the storm");
        }
        assertEquals(PoolState.CLOSED, pool.state());
    }

    /**
     * One worker, and a restart policy with no restart to spare: a crash taken for a worker that cannot live fails the
     * pool at once, so a test that ends with the pool running shows each crash was counted as its task's.
     */
    private static WorkerPool.Builder strictOneWorker(String name) {
        return WorkerPool.builder()
                .name(name)
                .minWorkers(1)
                .maxWorkers(1)
                .restartPolicy(new RestartPolicy(
                        Duration.ofSeconds(30), 2.0, Duration.ofSeconds(60), Duration.ofSeconds(60), 0));
    }

    @Test
    void aTaskThatCrashesEveryWorkerItRunsOn_failsAlone_andThePoolNeverFails() {
        List<PoolEvent.WorkerRestartScheduled> restarts = new CopyOnWriteArrayList<>();
        try (WorkerPool pool = strictOneWorker("t-task-crash")
                .listener(e -> {
                    if (e instanceof PoolEvent.WorkerRestartScheduled r) {
                        restarts.add(r);
                    }
                })
                .build()) {
            for (int i = 0; i < 20; i++) { // each on a new worker: its first task
                Throwable t = Await.failure(pool.submit(CrashRuleTest::run, Kind.OVERFLOW), "overflow " + i);
                assertInstanceOf(
                        StackOverflowError.class,
                        assertInstanceOf(WorkerCrashedException.class, t).getCause());
            }
            assertEquals(1, Await.result(pool.submit(CrashRuleTest::run, Kind.OK), "a task after the crashes"));
            assertEquals(PoolState.RUNNING, pool.state());
            assertEquals(20, pool.stats().workerCrashes());
            Await.until(() -> restarts.size() == 20, "a restart for every crash");
            for (PoolEvent.WorkerRestartScheduled r : restarts) {
                assertEquals(0, r.unstableRestarts(), "a task-caused crash counted as unstable: " + r);
                assertEquals(Duration.ZERO, r.delay(), "a task-caused crash waited for a backoff: " + r);
            }
        }
    }

    /** A {@link StackOverflowError} whose {@code toString()} throws, as hostile code may make one. */
    static final class EvilOverflow extends StackOverflowError {
        private static final long serialVersionUID = 1L;

        @Override
        public String toString() {
            throw new IllegalStateException("toString of this error throws");
        }
    }

    static Integer evil(Integer ignored) {
        throw new EvilOverflow();
    }

    @Test
    void aCrashWhoseToStringThrows_stillFailsItsTaskAlone_asACrashTheTaskCaused() {
        try (WorkerPool pool = strictOneWorker("t-evil-crash").build()) {
            for (int i = 0; i < 5; i++) {
                // The message about the crash called toString(): it threw, the task's outcome was never decided and
                // its future never completed, and the worker's death counted as one that cannot live.
                Throwable t = Await.failure(pool.submit(CrashRuleTest::evil, i), "evil overflow " + i);
                WorkerCrashedException crash = assertInstanceOf(WorkerCrashedException.class, t);
                assertInstanceOf(EvilOverflow.class, crash.getCause());
                assertTrue(crash.getMessage().contains("its toString() threw"), crash.getMessage());
            }
            assertEquals(1, Await.result(pool.submit(CrashRuleTest::run, Kind.OK), "a task after the crashes"));
            assertEquals(PoolState.RUNNING, pool.state());
        }
    }

    @Test
    void workersThatCannotStart_failTheFirstTaskAtOnce_withTheStartFailureAsCause_andCloseReturns() {
        IllegalStateException initFailure = new IllegalStateException("init failed");
        AtomicInteger starts = new AtomicInteger();
        WorkerPool pool = WorkerPool.builder()
                .name("t-no-start")
                .workerState(() -> {
                    starts.incrementAndGet();
                    throw initFailure;
                })
                .build();
        CompletableFuture<Integer> first = pool.submit(CrashRuleTest::run, Kind.OK);
        // Bounded by Await's 20 s, a fifth of the ~100 s that the default backoff takes to reach FAILED.
        WorkerCrashedException e =
                assertInstanceOf(WorkerCrashedException.class, Await.failure(first, "the first task of the pool"));
        assertTrue(e.getCause() == initFailure, "cause is not the start's failure: " + e.getCause());
        assertTrue(e.getMessage().contains("failed to start"), e.getMessage());
        assertTrue(e.getMessage().contains("init failed"), e.getMessage());
        CompletableFuture<Integer> later = pool.submit(CrashRuleTest::run, Kind.OK);
        assertInstanceOf(WorkerCrashedException.class, Await.failure(later, "a task submitted during the backoff"));
        assertEquals(PoolState.RUNNING, pool.state(), "the backoff goes on: not FAILED yet");
        PoolStats s = pool.stats();
        assertEquals(2, s.failed());
        assertEquals(0, s.queued());
        MisuseTest.closeWithin(pool::close, "close of a pool whose workers cannot start");
        assertEquals(PoolState.CLOSED, pool.state());
    }

    @Test
    void aPoolWhoseFirstStartFailed_runsTasksOnceAWorkerStarts() {
        AtomicInteger starts = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-late-start")
                .minWorkers(1)
                .maxWorkers(1)
                .workerState(() -> {
                    if (starts.getAndIncrement() == 0) {
                        throw new IllegalStateException("first start fails");
                    }
                    return "state";
                })
                .build()) {
            Await.until(() -> starts.get() >= 1, "the first start tried");
            // Each task either fails at once (no worker live, the last start failed) or runs on the worker that
            // started after the backoff: one submit after another, each awaited, until one returns a value.
            Await.until(
                    () -> Await.result(
                                    pool.submit(CrashRuleTest::run, Kind.OK).handle((v, t) -> v),
                                    "a task of a pool whose first start failed")
                            != null,
                    "a task runs once a worker started");
            assertEquals(PoolState.RUNNING, pool.state());
        }
    }

    @Test
    void aCrashStorm_logsAFewCollapsedRecords_andTellsWhatItHeldBack_whileTheListenerSeesEveryCrash() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.offload.WorkerPool");
        List<java.util.logging.LogRecord> records = new CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (String.valueOf(record.getMessage()).contains("pool=t-log-storm")) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        AtomicInteger crashEvents = new AtomicInteger();
        logger.addHandler(handler);
        try {
            WorkerPool pool = WorkerPool.builder()
                    .name("t-log-storm")
                    .minWorkers(1)
                    .maxWorkers(1)
                    .listener(e -> {
                        if (e instanceof PoolEvent.WorkerCrashed) {
                            crashEvents.incrementAndGet();
                        }
                    })
                    .build();
            for (int i = 0; i < 18; i++) {
                Await.failure(pool.submit(CrashRuleTest::run, Kind.OVERFLOW), "overflow " + i);
            }
            Await.until(() -> crashEvents.get() == 18, "the listener sees all 18 crashes");
            MisuseTest.closeWithin(pool::close, "close after the crashes");
            Await.until(
                    () -> records.stream().anyMatch(r -> r.getMessage().contains("were not logged")),
                    "a record of the crash records held back");
            List<java.util.logging.LogRecord> crashes = records.stream()
                    .filter(r -> r.getMessage().startsWith("worker crashed"))
                    .toList();
            assertTrue(crashes.size() <= 5, "crash records written for 18 crashes: " + crashes.size());
            assertTrue(!crashes.isEmpty(), "no crash record at all");
            for (java.util.logging.LogRecord r : crashes) {
                long lines = r.getMessage().lines().count();
                assertTrue(lines < 20, "a StackOverflowError's record of " + lines + " lines:\n" + r.getMessage());
                assertTrue(r.getMessage().contains("repeated"), r.getMessage());
            }
            String heldBack = records.stream()
                    .map(java.util.logging.LogRecord::getMessage)
                    .filter(m -> m.contains("were not logged"))
                    .findFirst()
                    .orElseThrow();
            assertTrue(heldBack.contains((18 - crashes.size()) + " crash records"), heldBack);
        } finally {
            logger.removeHandler(handler);
        }
    }
}
