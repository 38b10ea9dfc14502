package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Supervision and lifecycle: time limits that free the worker, crashes that replace it, restarts with backoff, the
 * watchdog, stop hooks, recycling, and closes that are bounded. Waits are bounded; where a test checks time, it is a
 * lower bound the contract promises (a backoff that waited at least its delay), never a speed.
 */
class SupervisionTest {
    private static final Duration GRACE = Duration.ofMillis(100);

    /** A task that ignores interrupts and cancellation until {@code release} counts down. */
    static Integer stubborn(CountDownLatch release) {
        while (release.getCount() > 0) {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ignores its stop on purpose
            }
        }
        return 1;
    }

    static Integer sleepy(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return 1;
    }

    private static WorkerPool.Builder oneWorker(String name) {
        return WorkerPool.builder()
                .name(name)
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .cancelGracePeriod(GRACE);
    }

    // ---- time limits ----

    @Test
    void taskTimeout_failsTheFuture_interruptsTheTask_andThePoolServesTheNext() {
        List<PoolEvent> events = new CopyOnWriteArrayList<>();
        try (WorkerPool pool = oneWorker("t-timeout")
                .taskTimeout(Duration.ofMillis(50))
                .listener(events::add)
                .build()) {
            CompletableFuture<Integer> slow = pool.submit(SupervisionTest::sleepy, 60_000L);
            TaskTimeoutException e = assertInstanceOf(TaskTimeoutException.class, Await.failure(slow, "slow task"));
            assertEquals(TaskTimeoutException.Phase.RUNNING, e.phase());
            assertEquals(Duration.ofMillis(50), e.limit());
            assertTrue(e.elapsed().compareTo(e.limit()) >= 0, "timed out before its limit: " + e.elapsed());
            assertTrue(e.task().contains("SupervisionTest"), e.getMessage());
            assertEquals(1, Await.result(pool.submit(SupervisionTest::sleepy, 1L), "next task"));
            PoolStats s = pool.stats();
            assertEquals(1, s.timedOut());
            assertEquals(1, s.failed());
            assertEquals(0, s.workersAbandoned(), "the sleeping task stopped on interrupt");
            assertTrue(events.stream().anyMatch(ev -> ev instanceof PoolEvent.TaskTimedOut));
        }
    }

    @Test
    void perTaskTimeout_winsOverThePoolDefault() {
        try (WorkerPool pool =
                oneWorker("t-own-timeout").taskTimeout(Duration.ofHours(1)).build()) {
            CompletableFuture<Integer> f = pool.submit(
                    SupervisionTest::sleepy, 60_000L, TaskOptions.DEFAULT.withTimeout(Duration.ofMillis(30)));
            TaskTimeoutException e = assertInstanceOf(TaskTimeoutException.class, Await.failure(f, "task"));
            assertEquals(Duration.ofMillis(30), e.limit());
        }
    }

    @Test
    void taskIgnoringItsTimeout_getsItsWorkerAbandoned_andAOneWorkerPoolServesTheNext() {
        CountDownLatch release = new CountDownLatch(1);
        List<PoolEvent> events = new CopyOnWriteArrayList<>();
        try (WorkerPool pool = oneWorker("t-abandon")
                .taskTimeout(Duration.ofMillis(50))
                .listener(events::add)
                .build()) {
            CompletableFuture<Integer> stuck = pool.submit(SupervisionTest::stubborn, release);
            assertInstanceOf(TaskTimeoutException.class, Await.failure(stuck, "stuck task"));
            assertEquals(1, Await.result(pool.submit(SupervisionTest::sleepy, 1L), "task after the abandonment"));
            PoolStats s = pool.stats();
            assertEquals(1, s.workersAbandoned());
            assertEquals(1, s.workers(), "the pool is not back at its size");
            PoolEvent.WorkerAbandoned abandoned = events.stream()
                    .filter(ev -> ev instanceof PoolEvent.WorkerAbandoned)
                    .map(ev -> (PoolEvent.WorkerAbandoned) ev)
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    abandoned.stack().stream().anyMatch(f -> f.getMethodName().equals("stubborn")),
                    "the report does not show where the task was: " + abandoned.stack());
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancelWithInterrupt_ofATaskThatKeepsRunning_abandonsItsWorker_andAOneWorkerPoolServesTheNext() {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = oneWorker("t-cancel-abandon").build()) {
            CompletableFuture<Integer> stuck = pool.submit(SupervisionTest::stubborn, release);
            Await.until(() -> pool.stats().busyWorkers() == 1, "the stubborn task runs");
            assertTrue(stuck.cancel(true));
            assertEquals(1, Await.result(pool.submit(SupervisionTest::sleepy, 1L), "task after the abandonment"));
            assertEquals(1, pool.stats().workersAbandoned());
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancelWithoutInterrupt_letsTheTaskFinish_andAbandonsNothing() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = oneWorker("t-cancel-soft").build()) {
            CompletableFuture<Integer> running = pool.submit(SupervisionTest::stubborn, release);
            Await.until(() -> pool.stats().busyWorkers() == 1, "the task runs");
            assertTrue(running.cancel(false));
            Thread.sleep(3 * GRACE.toMillis()); // past the grace period: still no abandonment for a soft cancel
            assertEquals(0, pool.stats().workersAbandoned());
            release.countDown();
            assertEquals(1, Await.result(pool.submit(SupervisionTest::sleepy, 1L), "next task"));
        }
    }

    @Test
    void queueTimeout_failsATaskThatWaitedTooLong_withoutRunningIt() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try (WorkerPool pool = oneWorker("t-queue-timeout").build()) {
            pool.submit(SupervisionTest::stubborn, release);
            CompletableFuture<Integer> waiting = pool.submit(
                    x -> ran.incrementAndGet(), 0, TaskOptions.DEFAULT.withQueueTimeout(Duration.ofMillis(30)));
            TaskTimeoutException e = assertInstanceOf(TaskTimeoutException.class, Await.failure(waiting, "task"));
            assertEquals(TaskTimeoutException.Phase.QUEUED, e.phase());
            release.countDown();
            Await.result(pool.submit(SupervisionTest::sleepy, 1L), "next task");
            assertEquals(0, ran.get(), "a task that timed out in the queue ran");
            assertEquals(1, pool.stats().timedOut());
        }
    }

    // ---- stop hooks and worker state ----

    @Test
    void stopHook_runsOnTimeout_andCanUnblockTheTask() {
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-hook")
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .cancelGracePeriod(Duration.ofSeconds(5)) // the hook runs on its own thread: ample time
                .taskTimeout(Duration.ofMillis(50))
                .build()) {
            CompletableFuture<String> f = pool.submit(
                    x -> {
                        CountDownLatch connection = new CountDownLatch(1); // stands for a socket the task reads
                        TaskContext.current().onCancel(connection::countDown); // "close the socket"
                        while (connection.getCount() > 0) {
                            try {
                                connection.await();
                            } catch (InterruptedException ignored) {
                                // like a blocking read that ignores interrupts
                            }
                        }
                        return "unblocked";
                    },
                    0);
            assertInstanceOf(TaskTimeoutException.class, Await.failure(f, "task"));
            Await.until(() -> pool.stats().busyWorkers() == 0, "the hook unblocks the task");
            assertEquals(0, pool.stats().workersAbandoned(), "the hook freed the task within the grace period");
        }
    }

    @Test
    void workerStateTeardown_runsOnClose_andOnAbandonment() {
        List<String> tornDown = new CopyOnWriteArrayList<>();
        AtomicInteger made = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = oneWorker("t-teardown")
                .taskTimeout(Duration.ofMillis(30))
                .workerState(() -> "state-" + made.getAndIncrement(), tornDown::add)
                .build();
        try {
            assertInstanceOf(
                    TaskTimeoutException.class,
                    Await.failure(pool.submit(SupervisionTest::stubborn, release), "stuck task"));
            Await.until(() -> tornDown.contains("state-0"), "the abandoned worker's state torn down");
            Await.result(pool.submit(SupervisionTest::sleepy, 1L), "task on the replacement");
        } finally {
            pool.close();
            release.countDown();
        }
        assertTrue(tornDown.contains("state-1"), "the replacement's state was not torn down at close: " + tornDown);
    }

    // ---- crashes, restarts, FAILED ----

    @Test
    void initializerThatAlwaysThrows_backsOff_logsOncePerStep_failsThePool_andCloseReturns() {
        List<PoolEvent> events = new CopyOnWriteArrayList<>();
        RestartPolicy policy =
                new RestartPolicy(Duration.ofMillis(10), 2.0, Duration.ofMillis(40), Duration.ofSeconds(10), 3);
        WorkerPool pool = WorkerPool.builder()
                .name("t-bad-init")
                .minWorkers(1)
                .maxWorkers(1)
                .restartPolicy(policy)
                .listener(events::add)
                .workerState(() -> {
                    throw new IllegalStateException("no database");
                })
                .build();
        Await.until(() -> pool.state() == PoolState.FAILED, "the pool fails past its restart limit");
        long crashes = events.stream()
                .filter(e -> e instanceof PoolEvent.WorkerCrashed)
                .count();
        assertEquals(policy.maxRestarts() + 1, crashes, "one crash per attempt, bounded by the restart limit");
        PoolFailedException refused = assertThrows(PoolFailedException.class, () -> pool.submit(() -> 1));
        assertEquals("no database", refused.getCause().getMessage());
        assertTrue(refused.getMessage().contains("maxRestarts=3"), refused.getMessage());
        MisuseTest.closeWithin(pool::close, "close of a failed pool");
        assertEquals(PoolState.CLOSED, pool.state());
    }

    @Test
    void restartBackoff_waitsAtLeastTheDelay_andGrowsExponentially() {
        List<Long> crashAt = new CopyOnWriteArrayList<>();
        List<Long> startAt = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        RestartPolicy policy =
                new RestartPolicy(Duration.ofMillis(20), 2.0, Duration.ofSeconds(1), Duration.ofSeconds(10), 10);
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-backoff")
                .minWorkers(1)
                .maxWorkers(1)
                .restartPolicy(policy)
                .workerState(() -> {
                    startAt.add(System.nanoTime());
                    if (attempts.getAndIncrement() < 3) {
                        crashAt.add(System.nanoTime()); // the crash: the restart's delay counts from here
                        throw new IllegalStateException("not yet");
                    }
                    return "ok";
                })
                .build()) {
            Await.until(() -> attempts.get() == 4, "a worker starts after three failed attempts");
            assertEquals(1, Await.result(pool.submit(() -> 1), "task on the worker that finally started"));
            for (int i = 1; i <= 3; i++) {
                long waited = startAt.get(i) - crashAt.get(i - 1);
                long delay = policy.delayBefore(i).toNanos();
                assertTrue(waited >= delay, "restart " + i + " waited " + waited + " ns, less than " + delay);
            }
            assertEquals(3, pool.stats().workerRestarts());
        }
    }

    @Test
    void failedPool_failsQueuedTasks_andResetMakesItWorkAgain() {
        AtomicInteger attempts = new AtomicInteger();
        RestartPolicy policy = new RestartPolicy(Duration.ZERO, 1.0, Duration.ZERO, Duration.ofSeconds(10), 1);
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-reset")
                .minWorkers(0)
                .maxWorkers(1)
                .restartPolicy(policy)
                .workerState(() -> {
                    if (attempts.getAndIncrement() < 2) {
                        throw new IllegalStateException("attempt " + attempts.get());
                    }
                    return "ok";
                })
                .build()) {
            CompletableFuture<Integer> queued = pool.submit(() -> 1); // starts a worker, whose initializer throws
            PoolFailedException e = assertInstanceOf(PoolFailedException.class, Await.failure(queued, "queued"));
            assertEquals("attempt 2", e.getCause().getMessage());
            assertEquals(PoolState.FAILED, pool.state());
            assertThrows(PoolFailedException.class, () -> pool.submit(() -> 2));
            pool.reset();
            assertEquals(PoolState.RUNNING, pool.state());
            assertEquals(3, Await.result(pool.submit(() -> 3), "task after reset"));
            PoolStats s = pool.stats();
            assertEquals(s.submitted(), s.completed() + s.failed() + s.cancelled() + s.rejected());
        }
    }

    // ---- watchdog ----

    @Test
    void watchdog_reportsABlockedTaskOnce_withItsStack() {
        List<PoolEvent.TaskBlocked> reports = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = oneWorker("t-watchdog")
                .blockedTaskThreshold(Duration.ofMillis(30))
                .listener(e -> {
                    if (e instanceof PoolEvent.TaskBlocked b) {
                        reports.add(b);
                    }
                })
                .build()) {
            CompletableFuture<Integer> f = pool.submit(SupervisionTest::stubborn, release);
            Await.until(() -> !reports.isEmpty(), "a blocked-task report");
            PoolEvent.TaskBlocked report = reports.get(0);
            assertTrue(report.runningFor().compareTo(Duration.ofMillis(30)) >= 0, "reported early: " + report);
            assertTrue(report.stack().stream().anyMatch(s -> s.getMethodName().equals("stubborn")), "" + report);
            release.countDown();
            Await.result(f, "released task");
            assertEquals(1, reports.size(), "reported more than once");
        } finally {
            release.countDown();
        }
    }

    // ---- recycle ----

    @Test
    void recycleWorkers_replacesEveryWorker_failsNoTask_andKeepsCapacity() {
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-recycle")
                .minWorkers(2)
                .maxWorkers(2)
                .build()) {
            List<CompletableFuture<Integer>> tasks = new ArrayList<>();
            AtomicLong minWorkersSeen = new AtomicLong(Long.MAX_VALUE);
            pool.recycleWorkers();
            for (int i = 0; i < 2_000; i++) {
                tasks.add(pool.submit(() -> TaskContext.current().workerId()));
                minWorkersSeen.accumulateAndGet(pool.stats().workers(), Math::min);
            }
            Await.until(
                    () -> tasks.stream().allMatch(CompletableFuture::isDone)
                            && pool.stats().workers() == 2
                            && idsNow(pool).stream().allMatch(id -> id >= 2),
                    "every worker replaced (ids 0 and 1 gone)");
            for (CompletableFuture<Integer> t : tasks) {
                assertFalse(t.isCompletedExceptionally(), "a task failed during the recycle");
            }
            assertTrue(minWorkersSeen.get() >= 2, "capacity dropped to " + minWorkersSeen.get());
        }
    }

    private static List<Integer> idsNow(WorkerPool pool) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(Await.result(pool.submit(() -> TaskContext.current().workerId()), "id probe"));
        }
        return ids;
    }

    @Test
    void maxTasksPerWorker_recyclesAWorkerAfterThatManyTasks() {
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-max-tasks")
                .minWorkers(1)
                .maxWorkers(1)
                .maxTasksPerWorker(10)
                .build()) {
            int first = Await.result(pool.submit(() -> TaskContext.current().workerId()), "first id");
            Await.until(
                    () -> Await.result(pool.submit(() -> TaskContext.current().workerId()), "id") != first,
                    "the worker replaced after 10 tasks");
            assertEquals(0, pool.stats().failed());
        }
    }

    @Test
    void maxTasksPerWorker_isALimit_evenWhenABurstIsQueuedAtOnce() {
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-max-tasks-burst")
                .minWorkers(1)
                .maxWorkers(1)
                .maxTasksPerWorker(5)
                .build()) {
            List<CompletableFuture<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                all.add(pool.submit(() -> TaskContext.current().workerId()));
            }
            java.util.Map<Integer, Integer> perWorker = new java.util.HashMap<>();
            for (CompletableFuture<Integer> f : all) {
                perWorker.merge(Await.result(f, "a task of the burst"), 1, Integer::sum);
            }
            perWorker.forEach((worker, tasks) ->
                    assertTrue(tasks <= 5, "worker " + worker + " ran " + tasks + " tasks, past maxTasksPerWorker=5"));
            assertEquals(400, perWorker.size(), "workers used for 2,000 tasks at 5 each: " + perWorker.size());
            PoolStats s = pool.stats();
            assertEquals(2_000, s.completed());
            assertEquals(0, s.workerCrashes());
            assertEquals(PoolState.RUNNING, s.state());
        }
    }

    // ---- every close is bounded ----

    @Test
    void closeNow_withQueuedRunningStuckAndPendingAsyncTasks_returnsAndCompletesEveryFuture() {
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = WorkerPool.builder()
                .name("t-close-now")
                .minWorkers(2)
                .maxWorkers(2)
                .tasksPerWorker(2)
                .isolation(Isolation.TRUSTED)
                .cancelGracePeriod(GRACE)
                .build();
        try {
            List<CompletableFuture<?>> all = new ArrayList<>();
            all.add(pool.submitAsync((Integer x) -> new CompletableFuture<Integer>(), 0)); // never completes
            all.add(pool.submit(SupervisionTest::stubborn, release)); // ignores its interrupt
            all.add(pool.submit(SupervisionTest::sleepy, 60_000L)); // stops on interrupt
            Await.until(() -> pool.stats().busyWorkers() == 2, "both workers busy");
            for (int i = 0; i < 10; i++) {
                all.add(pool.submit(SupervisionTest::sleepy, 1L));
            }
            MisuseTest.closeWithin(pool::closeNow, "closeNow");
            for (CompletableFuture<?> f : all) {
                assertTrue(f.isDone(), "a future left incomplete by closeNow");
            }
            PoolStats s = pool.stats();
            assertEquals(PoolState.CLOSED, s.state());
            assertEquals(0, s.inFlight());
            assertEquals(1, s.workersAbandoned(), "only the stubborn task's worker is abandoned");
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeWithTimeout_finishesWhatItCan_thenForces_andReturns() {
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = oneWorker("t-close-timeout").build();
        try {
            CompletableFuture<Integer> quick = pool.submit(SupervisionTest::sleepy, 5L);
            CompletableFuture<Integer> stuck = pool.submit(SupervisionTest::stubborn, release);
            MisuseTest.closeWithin(() -> pool.close(Duration.ofMillis(300)), "close(300 ms)");
            assertEquals(1, Await.result(quick, "task that finished during the graceful part"));
            assertTrue(stuck.isCancelled(), "the stuck task was not cancelled at the deadline");
            assertEquals(PoolState.CLOSED, pool.state());
        } finally {
            release.countDown();
        }
    }

    @Test
    void eventLoopClose_isNotHeldForeverByAStuckTask_itFailsThoseFuturesAndSaysSo() {
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = oneWorker("t-loop-close").build();
        EventLoop loop = EventLoop.start("t-loop-close");
        try {
            CompletableFuture<Integer> owed = Await.onLoop(loop, () -> pool.submit(SupervisionTest::stubborn, release));
            CompletableFuture<String> where = new CompletableFuture<>();
            loop.execute(() -> owed.whenComplete(
                    (v, t) -> where.complete(Thread.currentThread().getName())));
            MisuseTest.closeWithin(() -> loop.close(Duration.ofMillis(100)), "loop.close(100 ms)");
            assertTrue(owed.isCancelled());
            assertTrue(
                    Await.cancellationReason(owed, "owed task").startsWith("event loop closed before the task"),
                    "the future does not say why");
            assertEquals("t-loop-close", Await.result(where, "dependent of the cancelled future"));
        } finally {
            release.countDown();
            pool.close();
        }
    }

    @Test
    void closeAsync_ofAnEventLoop_completesWhenItEnds() {
        EventLoop loop = EventLoop.start("t-loop-close-async");
        CompletableFuture<Void> ended = loop.closeAsync().toCompletableFuture();
        Await.result(ended, "loop closeAsync");
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {}));
    }

    @Test
    void submitAfterClose_isRefused_andEveryCloseIsIdempotent() {
        WorkerPool pool = WorkerPool.create(1);
        pool.close();
        pool.close();
        pool.closeNow();
        pool.close(Duration.ofMillis(10));
        assertEquals(PoolState.CLOSED, pool.state());
        assertThrows(RejectedExecutionException.class, () -> pool.submit(() -> 1));
        assertNotEquals(PoolState.FAILED, pool.state());
        Await.result(pool.closeAsync().toCompletableFuture(), "closeAsync of a closed pool");
    }

    @Test
    void idlePool_supervisorAndWorkersPark() throws InterruptedException {
        try (WorkerPool pool =
                WorkerPool.builder().name("t-idle").minWorkers(2).maxWorkers(2).build()) {
            Await.result(pool.submit(() -> 1), "a task");
            TimeUnit.MILLISECONDS.sleep(20);
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("t-idle-")) {
                    Await.until(() -> t.getState() == Thread.State.WAITING, t.getName() + " parks when idle");
                }
            }
        }
    }

    // ---- found in review: each once broke a contract ----

    @Test
    void asyncTaskPastItsTimeLimit_freesItsWorkersSlot_andTheSupervisorParks() {
        WorkerPool pool = WorkerPool.builder()
                .name("t-async-timeout")
                .minWorkers(1)
                .maxWorkers(1)
                .tasksPerWorker(1)
                .build();
        CompletableFuture<Integer> never = pool.submitAsync(
                (Integer x) -> new CompletableFuture<Integer>(),
                1,
                TaskOptions.DEFAULT.withTimeout(Duration.ofMillis(30)));
        assertInstanceOf(TaskTimeoutException.class, Await.failure(never, "pending async task"));
        assertEquals(4, Await.result(pool.submit((Integer x) -> x * x, 2), "task on the freed worker"));
        Thread supervisor = MisuseTest.threadNamed("t-async-timeout-supervisor");
        Await.until(
                () -> supervisor.getState() == Thread.State.WAITING,
                "the supervisor parks (a decided async task's deadline kept it spinning)");
        MisuseTest.closeWithin(pool::close, "graceful close after an async timeout");
    }

    @Test
    void timeLimitOfForever_meansNoLimit_insteadOfKillingTheWorker() {
        try (WorkerPool pool = WorkerPool.create(1)) {
            TaskOptions forever = TaskOptions.DEFAULT
                    .withTimeout(java.time.temporal.ChronoUnit.FOREVER.getDuration())
                    .withQueueTimeout(java.time.temporal.ChronoUnit.FOREVER.getDuration());
            assertEquals(9, Await.result(pool.submit((Integer x) -> x * x, 3, forever), "task with no limit"));
            assertEquals(0, pool.stats().workerCrashes());
        }
    }

    @Test
    void growthRequestedDuringARestartBackoff_doesNotSpinTheSupervisor() {
        RestartPolicy slow =
                new RestartPolicy(Duration.ofSeconds(2), 1.0, Duration.ofSeconds(2), Duration.ofSeconds(10), 5);
        WorkerPool pool = WorkerPool.builder()
                .name("t-backoff-grow")
                .minWorkers(0)
                .maxWorkers(2)
                .restartPolicy(slow)
                .workerState(() -> {
                    throw new IllegalStateException("down");
                })
                .build();
        try {
            pool.submit(() -> 1); // starts a worker, which crashes: a 2 s backoff begins
            Await.until(() -> pool.stats().workerCrashes() == 1, "the first crash");
            pool.submit(() -> 2); // asks for growth during the backoff
            Thread supervisor = MisuseTest.threadNamed("t-backoff-grow-supervisor");
            Await.until(
                    () -> supervisor.getState() == Thread.State.TIMED_WAITING,
                    "the supervisor sleeps out the backoff instead of spinning on the growth request");
        } finally {
            pool.closeNow();
        }
    }

    @Test
    void gracefulCloseWithWorkersThatAlwaysCrash_backsOff_stopsAtTheLimit_andReturns() {
        RestartPolicy policy =
                new RestartPolicy(Duration.ofMillis(5), 2.0, Duration.ofMillis(20), Duration.ofSeconds(10), 2);
        WorkerPool pool = WorkerPool.builder()
                .name("t-drain-crash")
                .minWorkers(0)
                .maxWorkers(1)
                .restartPolicy(policy)
                .workerState(() -> {
                    throw new IllegalStateException("no database");
                })
                .build();
        List<CompletableFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queued.add(pool.submit(() -> 1));
        }
        MisuseTest.closeWithin(pool::close, "graceful close while every worker start crashes");
        for (CompletableFuture<Integer> f : queued) {
            // No live worker, the last start failed and the backoff holds the next: each fails at once with the
            // start's failure (before, it waited for the restart limit and failed with PoolFailedException).
            WorkerCrashedException e = assertInstanceOf(WorkerCrashedException.class, Await.failure(f, "queued task"));
            assertEquals("no database", e.getCause().getMessage());
        }
        assertTrue(pool.stats().workerCrashes() <= policy.maxRestarts() + 1, "restarts past the limit while closing");
    }

    @Test
    void closeWithZeroTimeout_racingSubmits_leavesNoFutureIncomplete() throws InterruptedException {
        WorkerPool pool = WorkerPool.builder()
                .name("t-close-zero")
                .minWorkers(1)
                .maxWorkers(1)
                .build();
        List<CompletableFuture<Integer>> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread submitter = Thread.ofPlatform().start(() -> {
            while (true) {
                try {
                    accepted.add(pool.submit((Integer x) -> x, 1));
                } catch (RejectedExecutionException e) {
                    return;
                }
            }
        });
        Await.until(() -> accepted.size() > 100, "submits under way");
        MisuseTest.closeWithin(() -> pool.close(Duration.ZERO), "close(0)");
        submitter.join();
        for (CompletableFuture<Integer> f : accepted) {
            Await.until(f::isDone, "every accepted future completes");
        }
        assertEquals(0, pool.stats().inFlight());
    }

    @Test
    void closeFromAListenerOnFailed_closesThePool_insteadOfDeadlocking() {
        RestartPolicy none = new RestartPolicy(Duration.ZERO, 1.0, Duration.ZERO, Duration.ofSeconds(10), 0);
        // The pool may fail before build() returns: the listener waits (boundedly) for the reference.
        CompletableFuture<WorkerPool> self = new CompletableFuture<>();
        WorkerPool built = WorkerPool.builder()
                .name("t-listener-close")
                .minWorkers(1)
                .maxWorkers(1)
                .restartPolicy(none)
                .listener(e -> {
                    if (e instanceof PoolEvent.StateChanged c && c.to() == PoolState.FAILED) {
                        try {
                            self.get(20, TimeUnit.SECONDS).close();
                        } catch (Exception x) {
                            throw new AssertionError("the pool was not built within 20 s", x);
                        }
                    }
                })
                .workerState(() -> {
                    throw new IllegalStateException("down");
                })
                .build();
        self.complete(built);
        Await.until(() -> built.state() == PoolState.CLOSED, "the pool closed by its own listener");
    }

    @Test
    void dependentsOfAFutureTheSupervisorDecides_doNotRunOnTheSupervisor() {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = oneWorker("t-off-supervisor").build()) {
            pool.submit(SupervisionTest::stubborn, release);
            CompletableFuture<Integer> waiting =
                    pool.submit((Integer x) -> x, 1, TaskOptions.DEFAULT.withQueueTimeout(Duration.ofMillis(20)));
            CompletableFuture<String> where =
                    waiting.handle((v, t) -> Thread.currentThread().getName());
            assertFalse(
                    Await.result(where, "dependent of a queue timeout").endsWith("-supervisor"),
                    "a dependent ran on the supervisor thread");
            release.countDown(); // before the graceful close, which waits for the task
        } finally {
            release.countDown();
        }
    }

    static final IllegalStateException CACHED = new IllegalStateException("cached");

    @Test
    void submitSite_onAThrowableSharedByTasks_isAddedOnce() {
        try (WorkerPool pool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .captureSubmitSite(true)
                .build()) {
            for (int i = 0; i < 5; i++) {
                Await.failure(
                        pool.submit(() -> {
                            throw CACHED;
                        }),
                        "task throwing a shared exception");
            }
            assertEquals(1, CACHED.getSuppressed().length, "the shared exception grew with every task");
        }
    }

    @Test
    void watchdog_reportsATaskCancelledWithoutInterrupt_thatKeepsRunning() {
        List<PoolEvent.TaskBlocked> reports = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = oneWorker("t-watch-soft")
                .blockedTaskThreshold(Duration.ofMillis(50))
                .listener(e -> {
                    if (e instanceof PoolEvent.TaskBlocked b) {
                        reports.add(b);
                    }
                })
                .build()) {
            CompletableFuture<Integer> f = pool.submit(SupervisionTest::stubborn, release);
            Await.until(() -> pool.stats().busyWorkers() == 1, "the task runs");
            f.cancel(false);
            Await.until(() -> !reports.isEmpty(), "a report of the cancelled task that keeps its worker");
            release.countDown(); // before the graceful close, which waits for the task
        } finally {
            release.countDown();
        }
    }
}
