package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WorkerPoolTest {
    static int square(int x) {
        return x * x;
    }

    static String threadName(Object ignored) {
        return Thread.currentThread().getName();
    }

    @ParameterizedTest
    @EnumSource(IdleStrategy.class)
    void submit_fromLoop_runsOnWorker_completesOnLoopThread(IdleStrategy strategy) {
        try (EventLoop loop = EventLoop.builder()
                        .name("t-loop")
                        .idleStrategy(strategy)
                        .start();
                WorkerPool pool = WorkerPool.builder()
                        .name("t-pool")
                        .minWorkers(1)
                        .maxWorkers(1)
                        .idleStrategy(strategy)
                        .build()) {
            CompletableFuture<String> seen = new CompletableFuture<>();
            loop.execute(() -> pool.submit(WorkerPoolTest::threadName, null)
                    .thenAccept(worker -> seen.complete(
                            worker + " -> " + Thread.currentThread().getName())));
            assertEquals("t-pool-worker-0 -> t-loop", Await.result(seen, "round trip"));
        }
    }

    @Test
    void submit_chainFromCallbacks_allCompleteOnLoop() {
        try (EventLoop loop = EventLoop.start("t-chain");
                WorkerPool pool = WorkerPool.create(2)) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            AtomicInteger offLoop = new AtomicInteger();
            loop.execute(() -> step(pool, loop, 0, done, offLoop));
            assertEquals(10_000, Await.result(done, "10,000 chained round trips"));
            assertEquals(0, offLoop.get(), "some callbacks ran off the loop thread");
        }
    }

    private static void step(
            WorkerPool pool, EventLoop loop, int n, CompletableFuture<Integer> done, AtomicInteger off) {
        if (n == 10_000) {
            done.complete(n);
            return;
        }
        pool.submit(WorkerPoolTest::square, n).thenAccept(sq -> {
            if (!loop.inEventLoop() || sq != n * n) {
                off.incrementAndGet();
            }
            step(pool, loop, n + 1, done, off);
        });
    }

    @Test
    void submit_fromPlainThread_completesOnWorker_orOnGivenExecutor() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "t-executor"));
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-plain")
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            // Each dependent is added while the task is held, so it runs where the future completes, not here.
            CountDownLatch hold = new CountDownLatch(1);
            AtomicReference<String> where = new AtomicReference<>();
            CompletableFuture<Void> direct = pool.submit(
                            x -> {
                                hold.await();
                                return x;
                            },
                            3)
                    .thenAccept(x -> where.set(Thread.currentThread().getName()));
            hold.countDown();
            Await.result(direct, "direct completion");
            assertEquals("t-plain-worker-0", where.get(), "completed off the worker");
            CountDownLatch hold2 = new CountDownLatch(1);
            CompletableFuture<String> viaExecutor = pool.submit(
                            x -> {
                                hold2.await();
                                return x * x;
                            },
                            4,
                            TaskOptions.DEFAULT.withExecutor(executor))
                    .thenApply(x -> x + "@" + Thread.currentThread().getName());
            hold2.countDown();
            assertEquals("16@t-executor", Await.result(viaExecutor, "executor completion"));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void submit_taskThrows_sameExceptionWithCause_andPoolContinues() {
        try (WorkerPool pool = WorkerPool.create(1)) {
            IOException cause = new IOException("disk");
            Task<String, String> failing = msg -> {
                throw new IllegalStateException(msg, new IOException("disk"));
            };
            Throwable t = Await.failure(pool.submit(failing, "bad input"), "failing task");
            assertInstanceOf(IllegalStateException.class, t);
            assertEquals("bad input", t.getMessage());
            assertInstanceOf(IOException.class, t.getCause());
            assertEquals(cause.getMessage(), t.getCause().getMessage());
            assertEquals(25, Await.result(pool.submit(WorkerPoolTest::square, 5), "next task"));
            PoolStats stats = pool.stats();
            assertEquals(1, stats.failed());
            assertEquals(1, stats.completed());
        }
    }

    @Test
    void submit_withCaptureSubmitSite_failureCarriesSubmitSite() {
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .captureSubmitSite(true)
                .build()) {
            Task<String, String> failing = msg -> {
                throw new ArithmeticException(msg);
            };
            Throwable t = Await.failure(pool.submit(failing, "x"), "failing task");
            assertEquals(1, t.getSuppressed().length);
            boolean hasThisTest = false;
            for (StackTraceElement e : t.getSuppressed()[0].getStackTrace()) {
                hasThisTest |= e.getMethodName().equals("submit_withCaptureSubmitSite_failureCarriesSubmitSite");
            }
            assertTrue(hasThisTest, "submit site does not name the submitting method");
        }
    }

    @Test
    void submit_errorInTask_failsTaskNotWorker() {
        try (WorkerPool pool = WorkerPool.create(1)) {
            Task<String, String> failing = msg -> {
                throw new AssertionError(msg);
            };
            Throwable t = Await.failure(pool.submit(failing, "boom"), "task throwing AssertionError");
            assertInstanceOf(AssertionError.class, t);
            assertEquals("boom", t.getMessage());
            assertEquals(4, Await.result(pool.submit(WorkerPoolTest::square, 2), "task after the error"));
            assertEquals(0, pool.stats().workerCrashes(), "an Error that is not a VirtualMachineError crashed");
        }
    }

    @Test
    void submit_stackOverflowInTask_failsWithWorkerCrashed_andWorkerIsReplaced() {
        try (WorkerPool pool = WorkerPool.create(1)) {
            Throwable t = Await.failure(pool.submit((Integer n) -> recurse(n), 1), "stack overflow task");
            WorkerCrashedException crashed = assertInstanceOf(WorkerCrashedException.class, t);
            assertInstanceOf(StackOverflowError.class, crashed.getCause());
            assertEquals(4, Await.result(pool.submit(WorkerPoolTest::square, 2), "task after the crash"));
            Await.until(() -> pool.stats().workerRestarts() == 1, "the crashed worker replaced");
            assertEquals(1, pool.stats().workerCrashes());
            assertEquals(1, pool.stats().workers());
        }
    }

    private static int recurse(int n) {
        return recurse(n + 1) + 1;
    }

    @Test
    void submit_callable_runsOnWorker() {
        try (WorkerPool pool = WorkerPool.create(1)) {
            assertEquals(42, Await.result(pool.submit(() -> 6 * 7), "callable"));
        }
    }

    @Test
    void submit_nullTask_throwsNpe() {
        try (WorkerPool pool = WorkerPool.create(1)) {
            assertThrows(NullPointerException.class, () -> pool.submit((Task<Integer, Integer>) null, 1));
            assertEquals(0, pool.stats().submitted(), "a rejected argument must not count as submitted");
        }
    }

    @Test
    void submit_afterClose_rejectedWithPoolName() {
        WorkerPool pool = WorkerPool.builder().name("t-closed").build();
        pool.close();
        var e = assertThrows(RejectedExecutionException.class, () -> pool.submit(WorkerPoolTest::square, 1));
        assertEquals("pool closed: pool=t-closed", e.getMessage());
        PoolStats s = pool.stats();
        assertEquals(1, s.submitted());
        assertEquals(1, s.rejected());
    }

    @Test
    void submit_queueFull_rejectedAtOnce_withBound_andNeedsDrain() {
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-full")
                .minWorkers(1)
                .maxWorkers(1)
                .maxQueue(2)
                .isolation(Isolation.TRUSTED)
                .build()) {
            Blocker blocker = Blocker.occupy(pool);
            pool.submit(WorkerPoolTest::square, 1);
            assertFalse(pool.needsDrain());
            pool.submit(WorkerPoolTest::square, 2);
            assertTrue(pool.needsDrain());
            var e = assertThrows(RejectedExecutionException.class, () -> pool.submit(WorkerPoolTest::square, 3));
            assertTrue(e.getMessage().startsWith("queue full: maxQueue=2, pool=t-full"), e.getMessage());
            blocker.releaseAndAwait();
        }
    }

    @Test
    void onDrain_firesOnceAfterFullQueueDrains() {
        AtomicInteger drains = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .maxQueue(4)
                .isolation(Isolation.TRUSTED)
                .build()) {
            pool.onDrain(drains::incrementAndGet);
            Blocker blocker = Blocker.occupy(pool);
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                queued.add(pool.submit(WorkerPoolTest::square, i));
            }
            assertTrue(pool.needsDrain());
            assertEquals(0, drains.get());
            blocker.release();
            queued.forEach(f -> Await.result(f, "queued task"));
            Await.until(() -> drains.get() == 1, "onDrain after the queue drained");
            assertFalse(pool.needsDrain());
        }
        assertEquals(1, drains.get(), "onDrain fired more than once for one full episode");
    }

    @Test
    void cancel_queuedTask_neverRuns_countedCancelled() {
        AtomicInteger ran = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            Blocker blocker = Blocker.occupy(pool);
            CompletableFuture<Integer> queued = pool.submit(x -> ran.incrementAndGet(), 0);
            assertTrue(queued.cancel(false));
            assertTrue(queued.isCancelled());
            assertEquals(0, pool.stats().queued(), "a cancelled task still holds its queue slot");
            blocker.releaseAndAwait();
            assertEquals(7, (int) Await.result(pool.submit((Integer x) -> 7, 0), "task after the cancelled one"));
            PoolStats s = pool.stats();
            assertEquals(0, ran.get(), "a cancelled queued task ran");
            assertEquals(1, s.cancelled());
            assertEquals(0, s.inFlight());
        }
    }

    @Test
    void cancel_runningTask_interruptsIt_andNextTaskIsNotInterrupted() {
        CountDownLatch started = new CountDownLatch(1);
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            CompletableFuture<String> running = pool.submit(
                    x -> {
                        started.countDown();
                        Thread.sleep(60_000);
                        return "slept";
                    },
                    0);
            Await.latch(started, "long task start");
            assertTrue(running.cancel(true));
            assertInstanceOf(CancellationException.class, Await.failure(running, "cancelled task"));
            boolean interrupted = Await.result(
                    pool.submit((Integer x) -> Thread.currentThread().isInterrupted(), 0), "next task");
            assertFalse(interrupted, "the cancel's interrupt leaked into the next task");
            Await.until(() -> pool.stats().busyWorkers() == 0, "worker back to idle");
            assertEquals(1, pool.stats().cancelled());
        }
    }

    @Test
    void taskContext_seesCancellation_withoutInterrupt() {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger sawCancel = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            CompletableFuture<Integer> running = pool.submit(
                    x -> {
                        started.countDown();
                        while (!TaskContext.current().isCancelled()) {
                            Thread.onSpinWait();
                        }
                        sawCancel.incrementAndGet();
                        return 1;
                    },
                    0);
            Await.latch(started, "cooperative task start");
            assertTrue(running.cancel(false));
            Await.until(() -> sawCancel.get() == 1, "task seeing its cancellation");
            assertTrue(running.isCancelled());
        }
    }

    @Test
    void taskContext_outsideWorker_throws() {
        var e = assertThrows(IllegalStateException.class, TaskContext::current);
        assertTrue(e.getMessage().startsWith("TaskContext.current() called outside a worker thread"));
    }

    @Test
    void workerState_isPerWorker_andMadeOnItsThread() {
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(2)
                .maxWorkers(2)
                .workerState(() -> new StringBuilder(Thread.currentThread().getName()))
                .build()) {
            String name = Await.result(
                    pool.submit(
                            x -> TaskContext.current()
                                            .state(StringBuilder.class)
                                            .toString() + "="
                                    + Thread.currentThread().getName(),
                            0),
                    "state read");
            String[] parts = name.split("=");
            assertEquals(parts[0], parts[1], "state made on another thread than the worker using it");
            Throwable t = Await.failure(pool.submit(x -> TaskContext.current().state(Integer.class), 0), "bad type");
            assertEquals("worker state is a java.lang.StringBuilder, not a java.lang.Integer", t.getMessage());
        }
    }

    @Test
    void workerState_withoutInitializer_throwsWithFix() {
        try (WorkerPool pool = WorkerPool.builder().name("t-nostate").build()) {
            Throwable t = Await.failure(pool.submit(x -> TaskContext.current().state(Object.class), 0), "state");
            assertEquals(
                    "worker has no state: pool=t-nostate; set one with WorkerPool.builder().workerState(initializer)",
                    t.getMessage());
        }
    }

    @Test
    void priorityQueue_runsHigherPriorityFirst() {
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .taskQueue(TaskQueue::priority)
                .isolation(Isolation.TRUSTED)
                .build()) {
            Blocker blocker = Blocker.occupy(pool);
            List<CompletableFuture<Boolean>> all = new ArrayList<>();
            int[] priorities = {1, 5, 3, 5, 0};
            for (int i = 0; i < priorities.length; i++) {
                int id = i;
                all.add(pool.submit(x -> order.add(id), 0, TaskOptions.DEFAULT.withPriority(priorities[i])));
            }
            blocker.release();
            all.forEach(f -> Await.result(f, "prioritized task"));
            assertEquals(List.of(1, 3, 2, 0, 4), order, "priority order (ties by submission)");
        }
    }

    @Test
    void aLoopCallbackThatSubmitsEightTasks_handsThemToTheWorkersBeforeItReturns_andFewerWaitForItsReturn() {
        // A burst's first tasks start while its callback still submits the rest; fewer stay kept until it returns.
        try (EventLoop loop = EventLoop.start("t-publish-loop");
                WorkerPool pool = WorkerPool.builder()
                        .minWorkers(2)
                        .maxWorkers(2)
                        .isolation(Isolation.TRUSTED)
                        .build()) {
            CompletableFuture<String> seen = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    java.util.concurrent.CountDownLatch fewStarted = new java.util.concurrent.CountDownLatch(1);
                    for (int i = 0; i < 7; i++) {
                        pool.submit(
                                x -> {
                                    fewStarted.countDown();
                                    return x;
                                },
                                i);
                    }
                    // Nothing can start them before this callback returns: the wait runs out.
                    boolean fewRan = fewStarted.await(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    java.util.concurrent.CountDownLatch eighthStarted = new java.util.concurrent.CountDownLatch(1);
                    pool.submit(
                            x -> {
                                eighthStarted.countDown();
                                return x;
                            },
                            7);
                    boolean eighthRan = eighthStarted.await(Await.SECONDS / 2, java.util.concurrent.TimeUnit.SECONDS);
                    seen.complete("7 submits: a task started=" + fewRan + "; after the 8th: it started=" + eighthRan);
                } catch (InterruptedException e) {
                    seen.completeExceptionally(e);
                }
            });
            assertEquals(
                    "7 submits: a task started=false; after the 8th: it started=true",
                    Await.result(seen, "a callback submitting 8 tasks"));
        }
    }

    @Test
    void priorityQueue_tasksFromOneLoopCallback_tiesRunInSubmissionOrder() {
        // A loop hands a callback's tasks over as one batch with one clock reading; their stamps must still order them.
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (EventLoop loop = EventLoop.start("t-prio-loop");
                WorkerPool pool = WorkerPool.builder()
                        .minWorkers(1)
                        .maxWorkers(1)
                        .taskQueue(TaskQueue::priority)
                        .isolation(Isolation.TRUSTED)
                        .build()) {
            Blocker blocker = Blocker.occupy(pool);
            CompletableFuture<List<CompletableFuture<Boolean>>> submitted = new CompletableFuture<>();
            loop.execute(() -> {
                List<CompletableFuture<Boolean>> all = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    int id = i;
                    all.add(pool.submit(x -> order.add(id), 0, TaskOptions.DEFAULT.withPriority(i % 2)));
                }
                // A timer runs after the loop handed the callback's batch over (it publishes before it runs timers).
                loop.schedule(Duration.ZERO, () -> submitted.complete(all));
            });
            List<CompletableFuture<Boolean>> all = Await.result(submitted, "40 submits in one loop callback");
            blocker.release();
            all.forEach(f -> Await.result(f, "prioritized task"));
            List<Integer> expected = new ArrayList<>();
            for (int parity : new int[] {1, 0}) {
                for (int i = parity; i < 40; i += 2) {
                    expected.add(i);
                }
            }
            assertEquals(expected, order, "odd (priority 1) first, each priority in submission order");
        }
    }

    @Test
    void noHeadOfLineBlocking_shortTaskRunsWhileLongTaskHoldsOtherWorker() {
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(2)
                .maxWorkers(2)
                .isolation(Isolation.TRUSTED)
                .build()) {
            Blocker longTask = Blocker.occupy(pool);
            for (int i = 0; i < 100; i++) {
                assertEquals(i * i, Await.result(pool.submit(WorkerPoolTest::square, i), "short task " + i));
            }
            assertFalse(longTask.future().isDone());
            longTask.releaseAndAwait();
        }
    }

    @ParameterizedTest
    @EnumSource(IdleStrategy.class)
    void grows_underLoad_upToMax_andShrinks_afterIdleTimeout(IdleStrategy idle) {
        // LATENCY's workers never park, and a worker looked at its idle timeout only after a park: they spun on.
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(3);
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(3)
                .idleTimeout(Duration.ofMillis(50))
                .idleStrategy(idle)
                .isolation(Isolation.TRUSTED)
                .build()) {
            assertEquals(1, pool.stats().workers());
            List<CompletableFuture<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                tasks.add(pool.submit(
                        x -> {
                            started.countDown();
                            release.await();
                            return x;
                        },
                        i));
            }
            Await.latch(started, "three blocking tasks running at once (pool grew to 3)");
            assertEquals(3, pool.stats().workers());
            release.countDown();
            tasks.forEach(f -> Await.result(f, "blocking task"));
            Await.until(() -> pool.stats().workers() == 1, "shrink back to minWorkers after idleTimeout");
            assertEquals(36, Await.result(pool.submit(WorkerPoolTest::square, 6), "task after shrinking"));
        }
    }

    @Test
    void asyncTasks_upToTasksPerWorker_runConcurrentlyOnOneWorker() {
        List<CompletableFuture<Integer>> gates = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            gates.add(new CompletableFuture<>());
        }
        AtomicInteger started = new AtomicInteger();
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .tasksPerWorker(2)
                .isolation(Isolation.TRUSTED)
                .build()) {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                results.add(pool.submitAsync(
                        x -> {
                            started.incrementAndGet();
                            return gates.get(n).thenApply(v -> v * 10);
                        },
                        i));
            }
            Await.until(() -> started.get() == 2, "two async tasks started on one worker");
            assertEquals(2, started.get(), "a third async task started beyond tasksPerWorker=2");
            gates.get(0).complete(1);
            Await.until(() -> started.get() == 3, "third async task after a slot freed");
            gates.get(1).complete(2);
            gates.get(2).complete(3);
            assertEquals(
                    List.of(10, 20, 30),
                    results.stream().map(f -> Await.result(f, "async")).toList());
        }
    }

    @Test
    void close_finishesAcceptedTasks_thenRejects() {
        WorkerPool pool = WorkerPool.builder().minWorkers(1).maxWorkers(2).build();
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            all.add(pool.submit(WorkerPoolTest::square, i));
        }
        pool.close();
        for (int i = 0; i < 1000; i++) {
            assertTrue(all.get(i).isDone(), "task " + i + " not finished after close()");
            assertEquals(i * i, all.get(i).join());
        }
        PoolStats s = pool.stats();
        assertEquals(1000, s.completed());
        assertEquals(0, s.workers());
    }

    @Test
    void close_fromLoopCallback_firstHandsOverWhatThatCallbackSubmitted() {
        // Tasks a callback submits reach the workers after the callback; a close() inside it must not wait for them
        // forever. The loop is a daemon so that a regression fails the bounded wait instead of hanging the run.
        EventLoop loop = EventLoop.builder().name("t-close-loop").daemon(true).start();
        WorkerPool pool = WorkerPool.create(1);
        CompletableFuture<CompletableFuture<Integer>> submitted = new CompletableFuture<>();
        loop.execute(() -> {
            CompletableFuture<Integer> f = pool.submit(WorkerPoolTest::square, 7);
            pool.close();
            submitted.complete(f);
        });
        CompletableFuture<Integer> f = Await.result(submitted, "submit then close() in one loop callback");
        assertEquals(49, Await.result(f, "the task submitted just before close()"));
        assertEquals(1, pool.stats().completed());
        loop.close();
    }

    @Test
    void cancel_inSubmittingCallback_beforeHandOver_neverRuns_countedCancelled() {
        AtomicInteger ran = new AtomicInteger();
        try (EventLoop loop = EventLoop.start("t-cancel-loop")) {
            WorkerPool pool = WorkerPool.builder()
                    .minWorkers(1)
                    .maxWorkers(1)
                    .isolation(Isolation.TRUSTED)
                    .build();
            CompletableFuture<CompletableFuture<Integer>> submitted = new CompletableFuture<>();
            loop.execute(() -> {
                CompletableFuture<Integer> f = pool.submit(x -> ran.incrementAndGet(), 1);
                f.cancel(false); // still in the callback: the task has not been handed to the workers yet
                submitted.complete(f);
            });
            CompletableFuture<Integer> f = Await.result(submitted, "submit and cancel in one loop callback");
            assertInstanceOf(CancellationException.class, Await.failure(f, "cancelled task"));
            assertEquals(9, Await.result(pool.submit(WorkerPoolTest::square, 3), "the next task"));
            pool.close();
            PoolStats s = pool.stats();
            assertEquals(0, ran.get(), "the cancelled task ran");
            assertEquals(2, s.submitted());
            assertEquals(1, s.cancelled());
            assertEquals(1, s.completed());
            assertEquals(0, s.queued());
        }
    }

    @Test
    void closeNow_rejectsQueued_interruptsRunning_accountingExact() {
        CountDownLatch started = new CountDownLatch(1);
        WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build();
        CompletableFuture<String> running = pool.submit(
                x -> {
                    started.countDown();
                    Thread.sleep(60_000);
                    return "slept";
                },
                0);
        Await.latch(started, "long task start");
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(pool.submit(WorkerPoolTest::square, i));
        }
        pool.closeNow();
        assertTrue(running.isCancelled(), "running task not cancelled by closeNow");
        assertEquals(
                "pool closed forcibly while the task was running",
                Await.cancellationReason(running, "interrupted task").replaceAll(":.*", ""));
        for (CompletableFuture<Integer> f : queued) {
            Throwable t = Await.failure(f, "queued task at closeNow");
            assertInstanceOf(CancellationException.class, t);
            assertTrue(f.isCancelled());
        }
        PoolStats s = pool.stats();
        assertEquals(11, s.submitted());
        assertEquals(11, s.cancelled());
        assertEquals(0, s.rejected());
        assertEquals(0, s.inFlight());
        assertEquals(PoolState.CLOSED, s.state());
        assertEquals(0, s.workersAbandoned(), "the sleeping task stopped on interrupt: nothing to abandon");
    }

    @Test
    void close_fromOwnWorker_throws() {
        AtomicReference<WorkerPool> self = new AtomicReference<>();
        try (WorkerPool pool = WorkerPool.builder().isolation(Isolation.TRUSTED).build()) {
            self.set(pool);
            Throwable t = Await.failure(
                    pool.submit(
                            x -> {
                                self.get().close();
                                return 0;
                            },
                            0),
                    "close from a task");
            assertInstanceOf(IllegalStateException.class, t);
        }
    }

    @Test
    void stats_countsAndHistograms() {
        try (WorkerPool pool = WorkerPool.create(2)) {
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                all.add(pool.submit(WorkerPoolTest::square, i));
            }
            all.forEach(f -> Await.result(f, "task"));
            PoolStats s = pool.stats();
            assertEquals(500, s.submitted());
            assertEquals(500, s.completed());
            assertEquals(0, s.inFlight());
            assertEquals(500, s.runTime().count());
            assertEquals(500, s.waitTime().count());
        }
    }

    @Test
    void stats_histogramsAndUtilization_measureTheTasks() {
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            assertEquals(0.0, pool.stats().utilization(), "an idle pool reported busy time");
            // Lower bounds only: a task that sleeps 20 ms runs at least 20 ms, and the task queued behind it waits at
            // least as long.
            CompletableFuture<Integer> first = pool.submit(
                    x -> {
                        Thread.sleep(20);
                        return x;
                    },
                    1);
            CompletableFuture<Integer> second = pool.submit(x -> x, 2);
            Await.result(first, "sleeping task");
            Await.result(second, "queued task");
            PoolStats s = pool.stats();
            assertTrue(s.runTime().max().compareTo(Duration.ofMillis(20)) >= 0, "run time " + s.runTime());
            assertTrue(s.waitTime().max().compareTo(Duration.ofMillis(15)) >= 0, "wait time " + s.waitTime());
            assertTrue(s.utilization() > 0, "busy time not counted: " + s.utilization());
        }
    }

    @Test
    void builder_rejectsBadOptions_withValues() {
        assertEquals(
                "minWorkers must be <= maxWorkers: minWorkers=4, maxWorkers=2",
                assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder()
                                .minWorkers(4)
                                .maxWorkers(2)
                                .build())
                        .getMessage());
        assertEquals(
                "maxQueue must be between 0 and 4194304: maxQueue=-1",
                assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder()
                                .maxQueue(-1))
                        .getMessage()
                        .replaceAll(";.*", ""));
        assertEquals(
                "maxQueue must be between 0 and 4194304: maxQueue=1073741824",
                assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder()
                                .maxQueue(1 << 30))
                        .getMessage()
                        .replaceAll(";.*", ""));
        assertEquals(
                "workers must be >= 1: workers=0",
                assertThrows(IllegalArgumentException.class, () -> WorkerPool.create(0))
                        .getMessage()
                        .replaceAll(";.*", ""));
        assertEquals(
                "tasksPerWorker must be >= 1: tasksPerWorker=0",
                assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder()
                                .tasksPerWorker(0))
                        .getMessage());
        assertEquals(
                "idleTimeout must be > 0: idleTimeout=PT0S",
                assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder()
                                .idleTimeout(Duration.ZERO))
                        .getMessage());
        assertEquals(
                "maxQueue was already set: maxQueue=8; fix: set each option once",
                assertThrows(
                                IllegalStateException.class,
                                () -> WorkerPool.builder().maxQueue(8).maxQueue(9))
                        .getMessage());
        assertSame(
                IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> WorkerPool.builder()
                                .minWorkers(-1))
                        .getClass());
    }
}
