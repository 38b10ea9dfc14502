package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.offload.shm.IntArray;
import dev.offload.shm.SharedBuffer;
import dev.offload.shm.TransferableBuffer;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What offload survives: each test is a misuse a user will commit in their first week (an {@code Error} inside a
 * submit, a task that restores its interrupt flag, a cancel from another thread, a refused submit of a transferable
 * buffer, …) and the contract that still holds. Read the test names as the list.
 */
class MisuseTest {
    private static EventLoop loop;
    private static WorkerPool pool;

    @BeforeAll
    static void start() {
        loop = EventLoop.builder().name("t-misuse").start();
        pool = WorkerPool.builder().name("t-misuse").minWorkers(2).maxWorkers(2).build();
    }

    @AfterAll
    static void stop() {
        pool.close();
        loop.close();
    }

    /** A record whose accessor throws an Error while the pool copies it (as an OutOfMemoryError would). */
    record Bomb(int[] data) {
        @Override
        public int[] data() {
            throw new OutOfMemoryError("simulated while copying the input");
        }
    }

    // ---- 1. An Error inside submit leaks nothing ----

    @Test
    void submit_errorWhileCopyingInput_onLoop_leavesNoCompletionOwed_loopCloses() {
        EventLoop own = EventLoop.builder()
                .name("t-error-submit")
                .closeTimeout(Duration.ofHours(1)) // a leaked admission would hold close for an hour
                .start();
        CompletableFuture<Throwable> caught = new CompletableFuture<>();
        own.execute(() -> {
            try {
                pool.submit((Bomb b) -> 1, new Bomb(new int[] {1}));
                caught.complete(null);
            } catch (Throwable t) {
                caught.complete(t);
            }
        });
        assertInstanceOf(OutOfMemoryError.class, Await.result(caught, "submit of a bomb"));
        Await.result(own.closeAsync().toCompletableFuture(), "close of a loop whose submit threw an Error");
    }

    @Test
    void submit_cyclicInput_onLoop_isCopiedWithItsCycle_loopCloses() {
        EventLoop own = EventLoop.builder()
                .name("t-cycle-submit")
                .closeTimeout(Duration.ofHours(1))
                .start();
        ArrayList<Object> cyc = new ArrayList<>();
        cyc.add(cyc);
        CompletableFuture<Boolean> sameShape = new CompletableFuture<>();
        own.execute(() -> {
            try {
                pool.submit((ArrayList<Object> l) -> l.get(0) == l, cyc).whenComplete((v, t) -> {
                    if (t != null) {
                        sameShape.completeExceptionally(t);
                    } else {
                        sameShape.complete(v);
                    }
                });
            } catch (Throwable t) {
                sameShape.completeExceptionally(t);
            }
        });
        assertTrue(Await.result(sameShape, "task on a cyclic list"), "the copy lost its cycle");
        Await.result(own.closeAsync().toCompletableFuture(), "close after a cyclic submit");
    }

    /** A queue whose offer fails, as a bug in a custom queue would. */
    static final class ThrowingQueue implements TaskQueue {
        @Override
        public boolean offer(QueuedTask task) {
            throw new StackOverflowError("simulated in a custom queue");
        }

        @Override
        public QueuedTask poll() {
            return null;
        }

        @Override
        public boolean remove(QueuedTask task) {
            return false;
        }

        @Override
        public boolean isEmpty() {
            return true;
        }

        @Override
        public int size() {
            return 0;
        }
    }

    @Test
    void submit_errorInCustomQueue_givesTheSlotBack_andCloseReturns() {
        WorkerPool broken = WorkerPool.builder()
                .name("t-throwing-queue")
                .minWorkers(1)
                .maxWorkers(1)
                .taskQueue(max -> new ThrowingQueue())
                .build();
        assertThrows(StackOverflowError.class, () -> broken.submit(MisuseTest::square, 2));
        PoolStats s = broken.stats();
        assertEquals(1, s.submitted());
        assertEquals(1, s.rejected());
        assertEquals(0, s.queued(), "the refused task still holds a queue slot");
        assertEquals(0, s.inFlight());
        closeWithin(broken::close, "graceful close after the queue threw");
    }

    // ---- 3. Interrupts never cross tasks or callbacks ----

    @Test
    void task_leavingItsInterruptSet_doesNotReachTheNextTask_andIdleWorkerParks() {
        try (WorkerPool one = WorkerPool.builder()
                .name("t-interrupt")
                .minWorkers(1)
                .maxWorkers(1)
                .build()) {
            Await.result(
                    one.submit(
                            (String s) -> {
                                Thread.currentThread().interrupt(); // "restore the interrupt flag"
                                return 0;
                            },
                            "a"),
                    "task that interrupts itself");
            assertFalse(
                    Await.result(one.submit((String s) -> Thread.currentThread().isInterrupted(), "b"), "next task"),
                    "the next task saw the interrupt");
            assertEquals(
                    "slept",
                    Await.result(
                            one.submit(
                                    (String s) -> {
                                        Thread.sleep(10);
                                        return "slept";
                                    },
                                    "c"),
                            "task that sleeps"));
            Thread worker = threadNamed("t-interrupt-worker-0");
            Await.until(
                    () -> worker.getState() == Thread.State.WAITING,
                    "the idle worker parks (a leaked interrupt would keep it spinning)");
        }
    }

    @Test
    void callback_leavingItsInterruptSet_doesNotReachTheNext_andIdleLoopParks() {
        try (EventLoop own = EventLoop.start("t-interrupt-loop")) {
            Await.onLoop(own, () -> {
                Thread.currentThread().interrupt();
                return null;
            });
            assertFalse(
                    Await.onLoop(own, () -> Thread.currentThread().isInterrupted()),
                    "the next callback saw the interrupt");
            Thread loopThread = threadNamed("t-interrupt-loop");
            Await.until(
                    () -> loopThread.getState() == Thread.State.WAITING,
                    "the idle loop parks (a leaked interrupt would keep it spinning)");
        }
    }

    @Test
    void workerInitializer_leavingItsInterruptSet_doesNotReachTheFirstTask() {
        try (WorkerPool withState = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .workerState(() -> {
                    Thread.currentThread().interrupt();
                    return "state";
                })
                .build()) {
            assertFalse(
                    Await.result(withState.submit(() -> Thread.currentThread().isInterrupted()), "first task"));
        }
    }

    // ---- 4. Every dependent of a loop-owned future runs on the loop ----

    /** Submits a task that waits for {@code release} from the loop and returns its future. */
    private static CompletableFuture<Integer> heldOnLoop(WorkerPool trusted, CountDownLatch release) {
        CompletableFuture<Integer> held = Await.onLoop(
                loop,
                () -> trusted.submit(
                        (CountDownLatch l) -> {
                            l.await(20, TimeUnit.SECONDS);
                            return 7;
                        },
                        release,
                        TaskOptions.DEFAULT));
        return held;
    }

    /** Adds a dependent on the loop and returns where it ran. */
    private static CompletableFuture<String> whereDependentRuns(CompletableFuture<Integer> f) {
        CompletableFuture<String> where = new CompletableFuture<>();
        Await.onLoop(
                loop,
                () -> f.whenComplete(
                        (v, t) -> where.complete(Thread.currentThread().getName())));
        return where;
    }

    @Test
    void loopFuture_cancelledFromAnotherThread_runsDependentsOnTheLoop() {
        WorkerPool trusted = trustedPool();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> f = Await.onLoop(
                loop,
                () -> trusted.submit(
                        (CountDownLatch l) -> {
                            l.await(20, TimeUnit.SECONDS);
                            return 7;
                        },
                        release));
        CompletableFuture<String> where = whereDependentRuns(f);
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled(), "cancel returned before the future was cancelled");
        assertEquals("t-misuse", Await.result(where, "dependent after cancel"));
        release.countDown();
        trusted.close();
    }

    @Test
    void loopTasksStoppedWhileRunning_byCancelAndByTimeout_leaveTheLoopOwingNothing_soItCloses() {
        WorkerPool trusted = trustedPool();
        EventLoop own = EventLoop.builder()
                .name("t-stopped-running")
                .closeTimeout(Duration.ofHours(1)) // a task the loop lost track of would hold close for an hour
                .start();
        int n = 20; // more than the loop's first registry slots
        List<CountDownLatch> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            started.add(new CountDownLatch(1));
        }
        TaskOptions limited = TaskOptions.DEFAULT.withTimeout(Duration.ofMillis(20));
        List<CompletableFuture<Integer>> futures = Await.onLoop(own, () -> {
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                fs.add(trusted.submit(
                        (CountDownLatch l) -> {
                            l.countDown();
                            Thread.sleep(60_000); // until interrupted
                            return 1;
                        },
                        started.get(i),
                        i % 2 == 0 ? limited : TaskOptions.DEFAULT));
            }
            return fs;
        });
        for (int i = 1; i < n; i += 2) { // the odd ones are cancelled while they run; the even ones time out
            Await.latch(started.get(i), "start of task " + i);
            assertTrue(futures.get(i).cancel(true), "cancel of running task " + i);
        }
        for (int i = 0; i < n; i++) {
            Throwable t = Await.failure(futures.get(i), "task " + i);
            Class<? extends Throwable> expected = i % 2 == 0 ? TaskTimeoutException.class : CancellationException.class;
            assertTrue(expected.isInstance(t), "task " + i + " ended with " + t + ", not a " + expected.getName());
        }
        Await.result(own.closeAsync().toCompletableFuture(), "close of a loop whose tasks were stopped while running");
        trusted.close();
    }

    @Test
    void loopFuture_completedFromOutsideInEveryWay_runsDependentsOnTheLoop() {
        WorkerPool trusted = trustedPool();
        List<Function<CompletableFuture<Integer>, Object>> completions = List.of(
                f -> f.complete(1),
                f -> f.completeExceptionally(new IllegalStateException("outside")),
                f -> {
                    f.obtrudeValue(2);
                    return null;
                },
                f -> {
                    f.obtrudeException(new IllegalStateException("obtruded"));
                    return null;
                },
                f -> f.orTimeout(1, TimeUnit.MILLISECONDS),
                f -> f.completeOnTimeout(3, 1, TimeUnit.MILLISECONDS));
        for (int i = 0; i < completions.size(); i++) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Integer> f = Await.onLoop(
                    loop,
                    () -> trusted.submit(
                            (CountDownLatch l) -> {
                                l.await(20, TimeUnit.SECONDS);
                                return 7;
                            },
                            release));
            CompletableFuture<String> where = whereDependentRuns(f);
            CompletableFuture<String> derived = new CompletableFuture<>();
            Await.onLoop(loop, () -> f.handle((v, t) -> v)
                    .thenRun(() -> derived.complete(Thread.currentThread().getName())));
            completions.get(i).apply(f);
            assertEquals("t-misuse", Await.result(where, "dependent, completion " + i));
            assertEquals("t-misuse", Await.result(derived, "derived stage, completion " + i));
            release.countDown();
        }
        trusted.close();
    }

    @Test
    void loopFuture_dependentAddedFromAnotherThreadAfterCompletion_runsOnTheLoop() {
        CompletableFuture<Integer> f = Await.onLoop(loop, () -> pool.submit(MisuseTest::square, 3));
        Await.result(f, "task");
        CompletableFuture<String> where = new CompletableFuture<>();
        f.thenAccept(v -> where.complete(Thread.currentThread().getName())); // this test's thread, after completion
        assertEquals("t-misuse", Await.result(where, "dependent added late from another thread"));
    }

    @Test
    void loopFuture_cancelStorm_everyDependentRunsOnTheLoop() throws InterruptedException {
        WorkerPool trusted = trustedPool();
        int n = 2_000;
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Integer>> futures = new CopyOnWriteArrayList<>();
        Await.onLoop(loop, () -> {
            for (int i = 0; i < n; i++) {
                CompletableFuture<Integer> f = trusted.submit(
                        (CountDownLatch l) -> {
                            l.await(20, TimeUnit.SECONDS);
                            return 1;
                        },
                        release);
                f.whenComplete((v, t) -> {
                    if (!loop.inEventLoop()) {
                        offLoop.incrementAndGet();
                    }
                    done.countDown();
                });
                futures.add(f);
            }
            return null;
        });
        Thread canceller = Thread.ofPlatform().start(() -> futures.forEach(f -> f.cancel(true)));
        canceller.join();
        release.countDown();
        Await.latch(done, "every dependent of the cancelled futures");
        assertEquals(0, offLoop.get(), "dependents ran off the loop");
        trusted.close();
    }

    @Test
    void loopFuture_joinOnItsOwnLoopBeforeDone_throwsInsteadOfDeadlocking() {
        WorkerPool trusted = trustedPool();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> held = heldOnLoop(trusted, release);
        IllegalStateException e = refusedOnLoop(held::join);
        release.countDown();
        assertTrue(e != null && e.getMessage().startsWith("join() on the thread of the event loop"), "got " + e);
        assertEquals(7, Await.result(held, "held task"));
        trusted.close();
    }

    @Test
    void returnedFuture_exposesOnlyFutureMethods() {
        CompletableFuture<Integer> f = pool.submit(MisuseTest::square, 2);
        Await.result(f, "task");
        assertFalse(f instanceof Runnable, "the future can be run by its caller");
        for (Method m : f.getClass().getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            boolean known = declares(CompletableFuture.class, m) || declares(QueuedTask.class, m);
            assertTrue(known, "the future exposes an internal method: " + m);
        }
    }

    private static boolean declares(Class<?> type, Method m) {
        try {
            type.getMethod(m.getName(), m.getParameterTypes());
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    // ---- 5. A submit that fails changes none of its inputs ----

    @Test
    void transferableBuffer_inSubmitRefusedForAFullQueue_staysAttachedWithItsData() {
        try (WorkerPool tiny = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .maxQueue(1)
                .isolation(Isolation.CHECKED)
                .build()) {
            IntArray flag = SharedBuffer.allocate(Integer.BYTES).asIntArray(); // a gate that may cross: shared memory
            tiny.submit(
                    (IntArray g) -> {
                        while (g.getVolatile(0) == 0) {
                            Thread.onSpinWait();
                        }
                        return 0;
                    },
                    flag);
            try {
                Await.until(() -> tiny.stats().busyWorkers() == 1, "the blocker runs");
                tiny.submit(MisuseTest::square, 1); // fills the queue
                TransferableBuffer buffer = TransferableBuffer.allocate(8);
                buffer.setLong(0, 42L);
                assertThrows(
                        RejectedExecutionException.class, () -> tiny.submit(TransferableBuffer::byteLength, buffer));
                assertFalse(buffer.isDetached(), "a refused submit detached the caller's buffer");
                assertEquals(42L, buffer.getLong(0));
            } finally {
                flag.setVolatile(0, 1); // a failed assertion must not leave close() waiting for the blocker
            }
        }
    }

    /** A record holding a buffer to move and, after it, a value that may not cross. */
    record BufferAndLock(TransferableBuffer buffer, Object lock) {}

    @Test
    void transferableBuffer_inSubmitRefusedForALaterField_staysAttached() {
        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        buffer.setLong(0, 7L);
        assertThrows(
                NotSendableException.class,
                () -> pool.submit((BufferAndLock b) -> 0, new BufferAndLock(buffer, new Object())));
        assertFalse(buffer.isDetached(), "a refused submit detached the caller's buffer");
        assertEquals(7L, buffer.getLong(0));
    }

    @Test
    void transferableBuffer_inSubmitFromALoopThatFails_staysAttached() {
        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        CompletableFuture<Throwable> refused = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                pool.submit((BufferAndLock b) -> 0, new BufferAndLock(buffer, new Object()));
                refused.complete(null);
            } catch (Throwable t) {
                refused.complete(t);
            }
        });
        assertInstanceOf(NotSendableException.class, Await.result(refused, "refused submit on the loop"));
        assertFalse(buffer.isDetached());
    }

    @Test
    void transferableBuffer_inAcceptedSubmit_isMovedAndTheWorkerSeesItsData() {
        TransferableBuffer buffer = TransferableBuffer.allocate(8);
        buffer.setLong(0, 99L);
        assertEquals(99L, Await.result(pool.submit((TransferableBuffer b) -> b.getLong(0), buffer), "task"));
        assertTrue(buffer.isDetached());
        assertThrows(IllegalStateException.class, () -> buffer.getLong(0));
    }

    // ---- 7. Views of shared memory are shared memory ----

    @Test
    void typedViews_crossAsInputAndAsCaptures_andShareTheMemory() {
        IntArray ints = SharedBuffer.allocate(16).asIntArray();
        Await.result(pool.submit((IntArray a) -> a.getAndAdd(0, 5), ints), "view as input");
        Await.result(pool.submit(() -> ints.getAndAdd(1, 3)), "view captured by a lambda");
        assertEquals(5, ints.get(0));
        assertEquals(3, ints.get(1));
        var longs = SharedBuffer.allocate(16).asLongArray();
        var doubles = SharedBuffer.allocate(16).asDoubleArray();
        Await.result(pool.submit(() -> longs.getAndAdd(0, 2)), "long view captured");
        Await.result(
                pool.submit(() -> {
                    doubles.set(0, 1.5);
                    return 0;
                }),
                "double view captured");
        assertEquals(2L, longs.get(0));
        assertEquals(1.5, doubles.get(0));
    }

    // ---- 9. A loop never starts threads in submit ----

    @Test
    void submit_thatGrowsThePool_startsTheWorkerOnTheSupervisor_notTheSubmittingLoop() {
        Set<String> startedOn = ConcurrentHashMap.newKeySet();
        try (WorkerPool growing = WorkerPool.builder()
                .name("t-grow")
                .minWorkers(0)
                .maxWorkers(2)
                .listener(e -> {
                    if (e instanceof PoolEvent.WorkerStarted) {
                        startedOn.add(Thread.currentThread().getName());
                    }
                })
                .build()) {
            CompletableFuture<Integer> f = Await.onLoop(loop, () -> growing.submit(MisuseTest::square, 4));
            assertEquals(16, Await.result(f, "task that needed a worker"));
            // The WorkerStarted event is emitted by the new worker's report to the supervisor thread.
            Await.until(() -> !startedOn.isEmpty(), "a worker start reported");
            assertEquals(Set.of("t-grow-supervisor"), startedOn);
        }
    }

    // ---- 10. Timers ----

    @Test
    void cancelledTimers_leaveTheLoopAtOnce_fromTheLoopAndFromOtherThreads() {
        try (EventLoop own = EventLoop.start("t-timers")) {
            List<Cancellable> fromOutside = new ArrayList<>();
            for (int i = 0; i < 100_000; i++) {
                fromOutside.add(own.schedule(Duration.ofHours(1), () -> {}));
            }
            Await.onLoop(own, () -> {
                for (int i = 0; i < 100_000; i++) {
                    own.schedule(Duration.ofHours(1), () -> {}).cancel();
                }
                return null;
            });
            fromOutside.forEach(Cancellable::cancel);
            Await.until(() -> own.pendingTimers() == 0, "200,000 cancelled one-hour timers leave the loop");
        }
    }

    @Test
    void schedule_onAClosingLoop_isRefusedFromEveryThread() {
        EventLoop own = EventLoop.start("t-timer-close");
        CompletableFuture<Throwable> fromLoop = new CompletableFuture<>();
        own.execute(() -> {
            own.close();
            try {
                own.schedule(Duration.ofMillis(1), () -> {});
                fromLoop.complete(null);
            } catch (Throwable t) {
                fromLoop.complete(t);
            }
        });
        assertInstanceOf(RejectedExecutionException.class, Await.result(fromLoop, "schedule on a closing loop"));
        own.close();
        assertThrows(RejectedExecutionException.class, () -> own.schedule(Duration.ZERO, () -> {}));
    }

    // ---- 12. Smaller ----

    @Test
    void asyncTaskThatNeverCompletes_isFailedByCloseNow() {
        WorkerPool asyncPool = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .cancelGracePeriod(Duration.ofMillis(100))
                .build();
        CompletableFuture<Integer> never = asyncPool.submitAsync((Integer x) -> new CompletableFuture<Integer>(), 1);
        Await.until(() -> asyncPool.stats().inFlight() == 1 && asyncPool.stats().queued() == 0, "async task pending");
        closeWithin(asyncPool::closeNow, "closeNow with a never-completing async task");
        assertTrue(never.isCancelled(), "the pending async task was not failed by closeNow");
    }

    @Test
    void taskThatClosesItsOwnLoop_isRefusedInsteadOfDeadlocking() {
        EventLoop own = EventLoop.start("t-self-close-task");
        WorkerPool trusted = trustedPool();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        own.execute(() -> trusted.submit(
                        (EventLoop l) -> {
                            l.close();
                            return "closed";
                        },
                        own)
                .whenComplete((v, t) -> outcome.complete(t)));
        Throwable t = Await.result(outcome, "task closing its own loop");
        assertInstanceOf(IllegalStateException.class, t);
        assertTrue(t.getMessage().startsWith("close() of an event loop from a task it submitted"), t.getMessage());
        own.close();
        trusted.close();
    }

    @Test
    void closeAsync_fromALoop_runsItsDependentsOnThatLoop() {
        WorkerPool closing = WorkerPool.create(1);
        CompletableFuture<String> where = new CompletableFuture<>();
        loop.execute(() -> closing.closeAsync()
                .thenRun(() -> where.complete(Thread.currentThread().getName())));
        assertEquals("t-misuse", Await.result(where, "dependent of closeAsync"));
        assertEquals(PoolState.CLOSED, closing.state());
    }

    @Test
    void completionExecutor_thatRefuses_stillCompletesTheFuture() {
        try (WorkerPool refusing = WorkerPool.builder()
                .minWorkers(1)
                .maxWorkers(1)
                .completionExecutor(r -> {
                    throw new RejectedExecutionException("shut down");
                })
                .build()) {
            assertEquals(9, Await.result(refusing.submit(MisuseTest::square, 3), "task with a refusing executor"));
        }
    }

    @Test
    void onCancel_fromAnotherThreadThanTheTask_throwsWithTheRule() {
        WorkerPool trusted = trustedPool();
        String message = Await.result(
                trusted.submit(() -> {
                    TaskContext ctx = TaskContext.current();
                    CompletableFuture<String> seen = new CompletableFuture<>();
                    Thread.ofPlatform()
                            .start(() -> {
                                try {
                                    ctx.onCancel(() -> {});
                                    seen.complete("accepted");
                                } catch (IllegalStateException e) {
                                    seen.complete(e.getMessage());
                                }
                            })
                            .join();
                    return seen.get();
                }),
                "task registering a hook from another thread");
        assertTrue(message.startsWith("onCancel called outside a running task"), message);
        trusted.close();
    }

    // ---- found in review ----

    @Test
    void loopCloseTimeout_aDependentThatRetries_isRefused_andEveryFutureCompletes() {
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool trusted = trustedPool();
        EventLoop own = EventLoop.start("t-retry-close");
        CompletableFuture<Throwable> retry = new CompletableFuture<>();
        CompletableFuture<Integer> owed = Await.onLoop(own, () -> {
            CompletableFuture<Integer> f = trusted.submit(
                    (CountDownLatch l) -> {
                        while (l.getCount() > 0) {
                            try {
                                l.await();
                            } catch (InterruptedException ignored) {
                                // ignores its cancel
                            }
                        }
                        return 1;
                    },
                    release);
            f.exceptionally(e -> {
                try {
                    trusted.submit(() -> 2); // a retry while the loop's close timed out
                    retry.complete(null);
                } catch (Throwable t) {
                    retry.complete(t);
                }
                return null;
            });
            return f;
        });
        closeWithin(() -> own.close(Duration.ofMillis(50)), "loop.close(50 ms) with a stuck task");
        assertTrue(owed.isCancelled());
        assertInstanceOf(RejectedExecutionException.class, Await.result(retry, "the retry"));
        release.countDown();
        trusted.close();
    }

    @Test
    void loopThatAlwaysHasWork_stillClosesByItsDeadline() {
        EventLoop own = EventLoop.start("t-busy-close");
        Runnable[] again = new Runnable[1];
        again[0] = () -> own.execute(again[0]); // re-posts itself forever
        own.execute(again[0]);
        Await.result(own.closeAsync(Duration.ofMillis(50)).toCompletableFuture(), "close of a loop that never idles");
    }

    @Test
    void longChainOfDependents_onALoopOwnedFuture_doesNotOverflowTheLoopStack() {
        WorkerPool trusted = trustedPool();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> last = Await.onLoop(loop, () -> {
            CompletableFuture<Integer> f = trusted.submit(
                    (CountDownLatch l) -> {
                        l.await(20, TimeUnit.SECONDS);
                        return 0;
                    },
                    release);
            for (int i = 0; i < 100_000; i++) {
                f = f.thenApply(x -> x + 1);
            }
            return f;
        });
        release.countDown();
        assertEquals(100_000, Await.result(last, "the last of 100,000 chained stages"));
        trusted.close();
    }

    @Test
    void loopFuture_getWithTimeoutOnItsOwnLoop_throwsInsteadOfBlockingTheLoop() {
        WorkerPool trusted = trustedPool();
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> held = heldOnLoop(trusted, release);
        Throwable e;
        try {
            e = refusedOnLoop(() -> held.get(1, TimeUnit.SECONDS));
        } finally {
            release.countDown();
        }
        assertInstanceOf(IllegalStateException.class, e);
        trusted.close();
    }

    // ---- helpers ----

    static int square(int x) {
        return x * x;
    }

    private static WorkerPool trustedPool() {
        return WorkerPool.builder()
                .minWorkers(2)
                .maxWorkers(2)
                .isolation(Isolation.TRUSTED)
                .cancelGracePeriod(Duration.ofMillis(200))
                .build();
    }

    /** Runs a blocking wait on the loop; returns the {@code IllegalStateException} it threw, or null if it returned. */
    private static IllegalStateException refusedOnLoop(Callable<?> wait) {
        return Await.onLoop(loop, () -> {
            try {
                wait.call();
                return null;
            } catch (IllegalStateException expected) {
                return expected;
            }
        });
    }

    static Thread threadNamed(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        return fail("no thread named " + name);
    }

    /** Runs a blocking close on another thread and waits for it boundedly. */
    static void closeWithin(Runnable close, String what) {
        CompletableFuture<Void> done = CompletableFuture.runAsync(
                close, r -> Thread.ofPlatform().daemon().start(r));
        Await.result(done, what);
    }
}
