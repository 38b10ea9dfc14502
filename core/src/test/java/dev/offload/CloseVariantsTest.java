package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The close variants side by side: a deadline that holds however slow the listener and the logger are, and a close
 * that finishes what runs and drops what waits (Piscina's {@code close({ force: true })}).
 */
class CloseVariantsTest {
    private static WorkerPool.Builder trusted(String name, int workers) {
        return WorkerPool.builder()
                .name(name)
                .minWorkers(workers)
                .maxWorkers(workers)
                .isolation(Isolation.TRUSTED);
    }

    /** Starts {@code closeAfterRunning()} on a thread of its own: it returns only once the running tasks end. */
    private static CompletableFuture<Void> closeAfterRunningInBackground(WorkerPool pool) {
        return CompletableFuture.runAsync(
                pool::closeAfterRunning, r -> Thread.ofPlatform().daemon().start(r));
    }

    /** A log handler that holds every record of the pool's logger until released, as a cold or slow logger would. */
    static final class StuckHandler extends Handler {
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> published = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            published.add(record.getMessage());
            Await.latch(release, "the test releasing the stuck log handler");
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void closeWithDeadline_returnsClosed_whileTheListenerAndTheLoggerAreStuck() {
        CountDownLatch releaseTask = new CountDownLatch(1);
        CountDownLatch releaseListener = new CountDownLatch(1);
        List<PoolEvent> seen = new CopyOnWriteArrayList<>();
        StuckHandler handler = new StuckHandler();
        Logger logger = Logger.getLogger("dev.offload.WorkerPool");
        WorkerPool pool = trusted("t-deadline", 1)
                .listener(e -> {
                    seen.add(e);
                    if (e instanceof PoolEvent.WorkerAbandoned
                            || e instanceof PoolEvent.StateChanged s && s.to() == PoolState.CLOSED) {
                        Await.latch(releaseListener, "the test releasing the stuck listener");
                    }
                })
                .build();
        try {
            CompletableFuture<Integer> stuck = pool.submit(SupervisionTest::stubborn, releaseTask);
            Await.until(() -> pool.stats().busyWorkers() == 1, "the stubborn task runs");
            logger.addHandler(handler);
            // Any log record or listener call between the deadline and CLOSED holds the close until released here,
            // past its 100 ms margin: close would return with the pool still DRAINING, or closeWithin would time out.
            MisuseTest.closeWithin(() -> pool.close(Duration.ofMillis(300)), "close(300 ms)");
            assertEquals(PoolState.CLOSED, pool.state(), "close(Duration) returned before the pool was closed");
            assertTrue(stuck.isDone(), "the stubborn task's future is left incomplete");
            assertEquals(1, releaseListener.getCount());
            releaseListener.countDown();
            handler.release.countDown();
            Await.until(
                    () -> seen.stream()
                            .anyMatch(e -> e instanceof PoolEvent.WorkerAbandoned a
                                    && !a.stack().isEmpty()),
                    "the abandoned worker reported, with its stack, after the close");
            Await.until(
                    () -> seen.stream()
                            .anyMatch(e -> e instanceof PoolEvent.StateChanged s && s.to() == PoolState.CLOSED),
                    "the change to CLOSED reported after the close");
            Await.until(
                    () -> handler.published.stream().anyMatch(m -> m.startsWith("worker abandoned")),
                    "the abandoned worker logged after the close");
            // close(Duration) logs this, past its 100 ms margin, only when the supervisor did not close in time.
            assertTrue(
                    handler.published.stream().noneMatch(m -> m.contains("did not finish closing")),
                    "close returned on its margin, not because the pool closed: " + handler.published);
        } finally {
            logger.removeHandler(handler);
            handler.release.countDown();
            releaseListener.countDown();
            releaseTask.countDown();
        }
    }

    static Integer overflow(Integer depth) {
        return overflow(depth + 1) + 1; // a StackOverflowError: a crash, which the pool logs at ERROR
    }

    static String sleepFor(Integer millis) throws InterruptedException {
        Thread.sleep(millis);
        return "slept";
    }

    @Test
    void timeLimits_areKept_whileTheLoggerIsStuckOnACrashRecord() {
        StuckHandler handler = new StuckHandler();
        Logger logger = Logger.getLogger("dev.offload.WorkerPool");
        WorkerPool pool = trusted("t-slow-log", 2).build();
        logger.addHandler(handler);
        try {
            pool.submit(CloseVariantsTest::overflow, 0);
            Await.until(
                    () -> handler.published.stream().anyMatch(m -> m.startsWith("worker crashed")),
                    "the crash record reaching the stuck handler");
            // The supervisor logged on its own thread, the one that enforces time limits: while the handler held
            // the record, no limit was enforced, and this task ran on.
            CompletableFuture<String> limited = pool.submit(
                    CloseVariantsTest::sleepFor, 60_000, TaskOptions.DEFAULT.withTimeout(Duration.ofMillis(100)));
            assertInstanceOf(
                    TaskTimeoutException.class,
                    Await.failure(limited, "the 100 ms limit of a task while the log handler is stuck"));
        } finally {
            logger.removeHandler(handler);
            handler.release.countDown();
            pool.close();
        }
    }

    @Test
    void everyCloseVariant_returnsWithNoWorkerThreadAlive() {
        List<String> alive = new ArrayList<>();
        for (int round = 0; round < 400; round++) {
            String name = "t-gone-" + round;
            WorkerPool pool = trusted(name, 2).build();
            for (int i = 0; i < 4; i++) {
                pool.submit(x -> x, i);
            }
            switch (round % 4) {
                case 0 -> pool.close();
                case 1 -> pool.close(Duration.ofSeconds(1));
                case 2 -> pool.closeNow();
                default -> pool.closeAfterRunning();
            }
            // A worker reported its end from its thread's last statement, and the close could return before that
            // thread was gone: 10 to 42 of 200 closes left one alive.
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith(name + "-worker-") && t.isAlive()) {
                    alive.add(t.getName() + " after close variant " + round % 4);
                }
            }
        }
        assertEquals(List.of(), alive, "worker threads alive after their pool's close returned");
    }

    @Test
    void closeAfterRunning_cancelsWhatWaits_letsWhatRunsFinish_andRefusesNewTasks() {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(2);
        WorkerPool pool = trusted("t-close-after-running", 2).build();
        List<CompletableFuture<Integer>> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int value = i;
            running.add(pool.submit(
                    x -> {
                        started.countDown();
                        release.await(); // an interrupt would fail the task: it must not come
                        return value;
                    },
                    0));
        }
        Await.latch(started, "both workers busy");
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            queued.add(pool.submit(x -> x, i));
        }
        CompletableFuture<Void> closing = closeAfterRunningInBackground(pool);
        for (CompletableFuture<Integer> f : queued) {
            String reason = Await.cancellationReason(f, "a queued task");
            assertTrue(reason.contains("closeAfterRunning"), reason);
        }
        Await.until(() -> pool.state() == PoolState.DRAINING, "the pool draining");
        assertFalse(closing.isDone(), "closeAfterRunning returned while tasks still ran");
        for (CompletableFuture<Integer> f : running) {
            assertFalse(f.isDone(), "a running task was stopped: " + f);
        }
        assertInstanceOf(
                java.util.concurrent.RejectedExecutionException.class,
                org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> pool.submit(x -> x, 1)));
        release.countDown();
        assertEquals(0, Await.result(running.get(0), "the first running task"));
        assertEquals(1, Await.result(running.get(1), "the second running task"));
        Await.result(closing, "closeAfterRunning");
        PoolStats s = pool.stats();
        assertEquals(PoolState.CLOSED, s.state());
        assertEquals(2, s.completed());
        assertEquals(50, s.cancelled());
        assertEquals(0, s.inFlight());
    }

    @Test
    void closeAfterRunning_fromAnEventLoop_dropsTheTasksItHandedOver() {
        WorkerPool pool = trusted("t-close-after-running-loop", 1).build();
        Blocker blocker = Blocker.occupy(pool);
        try (EventLoop loop = EventLoop.start("t-close-after-running-loop")) {
            CompletableFuture<Integer> handedOver = Await.onLoop(loop, () -> pool.submit(x -> x, 7));
            CompletableFuture<Void> closing = closeAfterRunningInBackground(pool);
            Await.cancellationReason(handedOver, "a task the loop handed over");
            blocker.release();
            Await.result(closing, "closeAfterRunning");
            assertEquals(0, Await.result(blocker.future(), "the running task"));
        }
        assertEquals(PoolState.CLOSED, pool.state());
        assertEquals(1, pool.stats().cancelled());
    }

    @Test
    void closeAfterRunning_thenCloseNow_boundsATaskThatNeverEnds() {
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = trusted("t-close-after-running-bounded", 1)
                .cancelGracePeriod(Duration.ofMillis(100))
                .build();
        try {
            CompletableFuture<Integer> stuck = pool.submit(SupervisionTest::stubborn, release);
            Await.until(() -> pool.stats().busyWorkers() == 1, "the stubborn task runs");
            CompletableFuture<Void> closing = closeAfterRunningInBackground(pool);
            Await.until(() -> pool.state() == PoolState.DRAINING, "the pool draining");
            MisuseTest.closeWithin(pool::closeNow, "closeNow after closeAfterRunning");
            Await.result(closing, "closeAfterRunning, ended by closeNow");
            assertInstanceOf(CancellationException.class, Await.failure(stuck, "the stubborn task"));
            assertEquals(PoolState.CLOSED, pool.state());
            assertEquals(1, pool.stats().workersAbandoned());
        } finally {
            release.countDown();
        }
    }
}
