package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventLoopTest {
    @ParameterizedTest
    @EnumSource(IdleStrategy.class)
    void execute_fromOtherThread_runsInOrderOnLoopThread(IdleStrategy strategy) {
        try (EventLoop loop =
                EventLoop.builder().name("t-order").idleStrategy(strategy).start()) {
            List<Integer> seen = new ArrayList<>(); // loop thread only
            List<String> threads = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            for (int i = 0; i < 10_000; i++) {
                int n = i;
                loop.execute(() -> {
                    seen.add(n);
                    if (n == 0) {
                        threads.add(Thread.currentThread().getName());
                    }
                    if (n == 9_999) {
                        done.countDown();
                    }
                });
            }
            Await.latch(done, "10,000 callbacks");
            List<Integer> copy = Await.onLoop(loop, () -> List.copyOf(seen));
            for (int i = 0; i < copy.size(); i++) {
                assertEquals(i, copy.get(i), "callbacks ran out of order at " + i);
            }
            assertEquals(List.of("t-order"), threads);
        }
    }

    @Test
    void current_onLoopThread_isThatLoop_elsewhereEmpty() {
        try (EventLoop loop = EventLoop.start("t-current")) {
            assertSame(loop, Await.onLoop(loop, () -> EventLoop.current().orElseThrow()));
            assertTrue(Await.onLoop(loop, loop::inEventLoop));
            assertTrue(EventLoop.current().isEmpty());
            assertFalse(loop.inEventLoop());
        }
    }

    @Test
    void schedule_runsAfterDelay_andCancelledTimerNeverRuns() {
        try (EventLoop loop = EventLoop.start("t-timer")) {
            AtomicInteger cancelledRuns = new AtomicInteger();
            Cancellable never = loop.schedule(Duration.ofMillis(30), cancelledRuns::incrementAndGet);
            assertTrue(never.cancel());
            assertTrue(never.isCancelled());
            assertFalse(never.cancel(), "a second cancel reports false");
            CompletableFuture<String> fired = new CompletableFuture<>();
            long scheduledAt = System.nanoTime();
            AtomicLong firedAfter = new AtomicLong();
            loop.schedule(Duration.ofMillis(50), () -> {
                firedAfter.set(System.nanoTime() - scheduledAt);
                fired.complete(Thread.currentThread().getName());
            });
            assertEquals("t-timer", Await.result(fired, "timer"));
            assertTrue(
                    firedAfter.get() >= Duration.ofMillis(50).toNanos(),
                    "timer fired early: after " + firedAfter.get() + " ns");
            CompletableFuture<Integer> later = new CompletableFuture<>();
            loop.schedule(Duration.ofMillis(80), () -> later.complete(cancelledRuns.get()));
            assertEquals(0, Await.result(later, "second timer"), "a cancelled timer ran");
        }
    }

    @Test
    void schedule_timersFireInDeadlineOrder() {
        try (EventLoop loop = EventLoop.start("t-timer-order")) {
            List<Integer> order = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(3);
            loop.schedule(Duration.ofMillis(60), () -> {
                order.add(3);
                done.countDown();
            });
            loop.schedule(Duration.ofMillis(20), () -> {
                order.add(1);
                done.countDown();
            });
            loop.schedule(Duration.ofMillis(40), () -> {
                order.add(2);
                done.countDown();
            });
            Await.latch(done, "three timers");
            assertEquals(List.of(1, 2, 3), order);
        }
    }

    @Test
    void schedule_cancelledFromAnotherThread_releasesTimersAndTasksBeforeTheirDeadline() throws InterruptedException {
        int n = 200_000;
        try (EventLoop loop = EventLoop.start("t-timer-release")) {
            List<Cancellable> timers = new ArrayList<>(n);
            List<WeakReference<Object>> refs = new ArrayList<>(2 * n);
            for (int i = 0; i < n; i++) {
                Runnable task = new CountingTask();
                Cancellable timer = loop.schedule(Duration.ofHours(1), task);
                timers.add(timer);
                refs.add(new WeakReference<>(task));
                refs.add(new WeakReference<>(timer));
            }
            Await.until(() -> loop.pendingTimers() == n, "200,000 one-hour timers reach the loop");
            Thread canceller = new Thread(() -> timers.forEach(Cancellable::cancel), "t-timer-canceller");
            canceller.start();
            canceller.join();
            timers.clear(); // the test holds no timer and no task now: only the loop could keep them
            Await.until(() -> loop.pendingTimers() == 0, "200,000 timers cancelled from another thread leave the loop");
            Await.until(
                    () -> {
                        System.gc();
                        refs.removeIf(r -> r.refersTo(null));
                        return refs.isEmpty();
                    },
                    "the loop releases 200,000 cancelled timers and their tasks");
        }
    }

    @Test
    void schedule_cancelledFromAnotherThreadWhileTheLoopIsBusy_releasesTheTasksAtOnce() throws InterruptedException {
        int n = 10_000;
        try (EventLoop loop = EventLoop.start("t-timer-busy")) {
            List<Cancellable> timers = new ArrayList<>(n);
            List<WeakReference<Runnable>> tasks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Runnable task = new CountingTask();
                timers.add(loop.schedule(Duration.ofHours(1), task));
                tasks.add(new WeakReference<>(task));
            }
            Await.until(() -> loop.pendingTimers() == n, "10,000 one-hour timers reach the loop");
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                Await.latch(release, "the test letting the loop go on");
            });
            try {
                Await.latch(busy, "a long callback on the loop");
                Thread canceller = new Thread(() -> timers.forEach(Cancellable::cancel), "t-timer-canceller");
                canceller.start();
                canceller.join();
                Await.until(
                        () -> {
                            System.gc();
                            tasks.removeIf(r -> r.refersTo(null));
                            return tasks.isEmpty();
                        },
                        "the tasks of 10,000 timers cancelled while their loop is busy are released");
                assertEquals(n, loop.pendingTimers(), "the busy loop handled the cancels: the test proved nothing");
            } finally {
                release.countDown();
            }
            Await.until(() -> loop.pendingTimers() == 0, "the loop, no longer busy, drops the cancelled timers");
        }
    }

    /** A task the test can only reach through a weak reference; a lambda without captures would be a constant. */
    private static final class CountingTask implements Runnable {
        private int runs;

        @Override
        public void run() {
            runs++;
        }
    }

    @Test
    void schedule_negativeDelay_throwsWithValue() {
        try (EventLoop loop = EventLoop.start("t-neg")) {
            var e = assertThrows(IllegalArgumentException.class, () -> loop.schedule(Duration.ofMillis(-1), () -> {}));
            assertEquals("delay must be >= 0: delay=PT-0.001S", e.getMessage());
        }
    }

    @Test
    void uncaughtException_goesToHandler_andLoopKeepsRunning() {
        List<Throwable> caught = new CopyOnWriteArrayList<>();
        try (EventLoop loop = EventLoop.builder()
                .name("t-uncaught")
                .onUncaughtException(caught::add)
                .start()) {
            loop.execute(() -> {
                throw new IllegalStateException("boom");
            });
            assertEquals("still alive", Await.onLoop(loop, () -> "still alive"));
            assertEquals(1, caught.size());
            assertEquals("boom", caught.get(0).getMessage());
        }
    }

    @Test
    void close_runsWhatWasQueued_thenRejectsFromOtherThreads() {
        EventLoop loop = EventLoop.start("t-close");
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            loop.execute(ran::incrementAndGet);
        }
        loop.close();
        assertEquals(1000, ran.get(), "graceful close dropped queued callbacks");
        assertTrue(loop.isClosed());
        var e = assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));
        assertEquals("event loop closed: loop=t-close", e.getMessage());
        loop.close(); // idempotent
    }

    @Test
    void close_fromLoopThread_returnsAndLoopEnds() {
        EventLoop loop = EventLoop.start("t-self-close");
        loop.execute(loop::close);
        Await.until(() -> loop.isClosed(), "close from the loop thread");
        loop.close(); // returns once the thread has ended
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));
    }

    @Test
    void utilization_countsIdlePeriodUnderWay_andBusyWorkAsActive() throws InterruptedException {
        try (EventLoop loop = EventLoop.start("t-elu")) {
            Thread.sleep(50); // the loop has been idle since it started: that period is still under way
            EventLoopUtilization idle = loop.utilization();
            assertTrue(idle.utilization() < 0.5, "a loop idle since it started reported busy: " + idle);
            assertTrue(idle.idle().compareTo(Duration.ofMillis(40)) >= 0, "idle time not counted: " + idle);
            EventLoopUtilization first = loop.utilization();
            Await.onLoop(loop, () -> {
                long end = System.nanoTime() + Duration.ofMillis(30).toNanos();
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                return null;
            });
            EventLoopUtilization delta = loop.utilization().since(first);
            assertTrue(
                    delta.active().compareTo(Duration.ofMillis(30)) >= 0, "30 ms of busy work not counted: " + delta);
        }
    }

    @Test
    void builder_blankName_throws() {
        var e = assertThrows(
                IllegalArgumentException.class, () -> EventLoop.builder().name(" "));
        assertEquals("name must not be blank: name=\" \"", e.getMessage());
    }

    /**
     * Every builder refuses an option set twice, naming it and the value it has (two sources of configuration that
     * disagree), and a refused call changes nothing: the builder still builds with the first value.
     */
    @Test
    void anOptionSetTwice_isRefusedByEveryBuilder_withItsNameAndValue() throws Exception {
        EventLoop.Builder loop = EventLoop.builder().name("first");
        assertEquals(
                "name was already set: name=first; fix: set each option once",
                assertThrows(IllegalStateException.class, () -> loop.name("second"))
                        .getMessage());
        assertEquals(
                "idleStrategy was already set: idleStrategy=LATENCY; fix: set each option once",
                assertThrows(IllegalStateException.class, () -> EventLoop.builder()
                                .idleStrategy(IdleStrategy.LATENCY)
                                .idleStrategy(IdleStrategy.BALANCED))
                        .getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> EventLoop.builder().daemon(true).daemon(false));
        assertThrows(
                IllegalStateException.class,
                () -> EventLoop.builder().closeTimeout(Duration.ofSeconds(1)).closeTimeout(Duration.ofSeconds(2)));
        assertThrows(
                IllegalStateException.class,
                () -> EventLoop.builder().onUncaughtException(t -> {}).onUncaughtException(t -> {}));
        try (EventLoop started = loop.daemon(true).start()) {
            assertEquals("first", started.name());
        }
        Worker.Builder worker = Worker.builder((port, data) -> {}).name("w1");
        assertEquals(
                "name was already set: name=w1; fix: set each option once",
                assertThrows(IllegalStateException.class, () -> worker.name("w2"))
                        .getMessage());
        assertThrows(
                IllegalStateException.class,
                () -> Worker.builder((port, data) -> {}).daemon(true).daemon(true));
        assertThrows(
                IllegalStateException.class,
                () -> Worker.builder((port, data) -> {}).workerData("a").workerData("b"));
        assertEquals(
                "maxWorkers was already set: maxWorkers=2; fix: set each option once",
                assertThrows(
                                IllegalStateException.class,
                                () -> WorkerPool.builder().maxWorkers(2).maxWorkers(3))
                        .getMessage());
    }
}
