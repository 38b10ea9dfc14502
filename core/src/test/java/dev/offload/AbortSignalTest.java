package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.shm.TransferableBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Piscina's abort signal: one signal for many tasks, a reason that reaches each, and a refusal that moves nothing. */
class AbortSignalTest {
    /** The exception a future was completed with, without the wrapper that {@code get()} adds to a cancellation. */
    private static Throwable outcome(CompletableFuture<?> f, String what) {
        Await.failure(f, what); // bounded wait for the end
        return f.handle((v, t) -> t).join();
    }

    @Test
    void abort_cancelsQueuedAndRunningTasksOfTheSignal_withItsReasonAsCause_andSparesTheOthers() {
        AbortSignal signal = AbortSignal.create();
        TaskOptions withSignal = TaskOptions.DEFAULT.withSignal(signal);
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-abort")
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            CompletableFuture<Integer> done = pool.submit(x -> x, 1, withSignal);
            assertEquals(1, Await.result(done, "a task that ends before the abort"));
            CompletableFuture<Integer> first = pool.submit(
                    x -> {
                        running.countDown();
                        try {
                            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                        } catch (InterruptedException e) {
                            interrupted.set(true);
                            throw e;
                        }
                        return x;
                    },
                    0,
                    withSignal);
            Await.latch(running, "the first task runs");
            List<CompletableFuture<Integer>> queued = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                queued.add(pool.submit(x -> x, i, withSignal));
            }
            CompletableFuture<Integer> other = pool.submit(x -> x, 42); // no signal
            IllegalStateException reason = new IllegalStateException("request gone");
            CompletableFuture<Boolean> aborted = CompletableFuture.supplyAsync(() -> signal.abort(reason));
            assertTrue(Await.result(aborted, "abort from another thread"));
            assertFalse(signal.abort(new IllegalStateException("second")), "only the first abort counts");
            assertSame(reason, signal.reason());
            assertTrue(signal.isAborted());
            for (CompletableFuture<Integer> f : queued) {
                CancellationException e = assertInstanceOf(CancellationException.class, outcome(f, "a queued task"));
                assertSame(reason, e.getCause(), "the abort's reason is not the cancellation's cause");
                assertTrue(e.getMessage().contains("request gone"), e.getMessage());
            }
            CancellationException e = assertInstanceOf(CancellationException.class, outcome(first, "the running task"));
            assertSame(reason, e.getCause());
            Await.until(interrupted::get, "the running task interrupted");
            assertEquals(42, Await.result(other, "a task without the signal"));
            assertEquals(1, Await.result(done, "the task that ended before the abort"));
            PoolStats s = pool.stats();
            assertEquals(21, s.cancelled());
            assertEquals(2, s.completed());
        }
    }

    @Test
    void submitWithAnAbortedSignal_isRefused_movesNothing_andIsNotCounted() {
        AbortSignal signal = AbortSignal.create();
        IllegalStateException reason = new IllegalStateException("user left");
        signal.abort(reason);
        try (WorkerPool pool = WorkerPool.create(1)) {
            TransferableBuffer buffer = TransferableBuffer.allocate(64);
            CancellationException e = assertThrows(
                    CancellationException.class,
                    () -> pool.submit(
                            (TransferableBuffer b) -> b.byteLength(), buffer, TaskOptions.DEFAULT.withSignal(signal)));
            assertSame(reason, e.getCause());
            assertTrue(e.getMessage().contains("abort signal"), e.getMessage());
            assertFalse(buffer.isDetached(), "a refused submit detached the caller's buffer");
            assertEquals(64L, buffer.byteLength());
            assertEquals(0, pool.stats().submitted());
        }
    }

    @Test
    void abortWithoutAReason_cancelsWithNoCause_andSignalsAreIndependent() {
        AbortSignal a = AbortSignal.create();
        AbortSignal b = AbortSignal.create();
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-abort-no-reason")
                .minWorkers(1)
                .maxWorkers(1)
                .isolation(Isolation.TRUSTED)
                .build()) {
            Blocker blocker = Blocker.occupy(pool);
            CompletableFuture<Integer> ofA = pool.submit(x -> x, 1, TaskOptions.DEFAULT.withSignal(a));
            CompletableFuture<Integer> ofB = pool.submit(x -> x, 2, TaskOptions.DEFAULT.withSignal(b));
            assertTrue(a.abort());
            assertNull(a.reason());
            CancellationException e = assertInstanceOf(CancellationException.class, outcome(ofA, "the task of a"));
            assertNull(e.getCause());
            assertFalse(b.isAborted());
            blocker.releaseAndAwait();
            assertEquals(2, Await.result(ofB, "the task of b"));
        }
    }

    @Test
    void aLongLivedSignal_servesManyTasks_fromAnEventLoop() {
        AbortSignal signal = AbortSignal.create();
        TaskOptions options = TaskOptions.DEFAULT.withSignal(signal);
        try (WorkerPool pool = WorkerPool.create(2);
                EventLoop loop = EventLoop.start("t-abort-loop")) {
            CompletableFuture<Integer> sum = new CompletableFuture<>();
            loop.execute(() -> {
                int[] total = {0, 0};
                for (int i = 0; i < 10_000; i++) {
                    pool.submit(x -> x, 1, options).thenAccept(v -> {
                        total[0] += v;
                        if (++total[1] == 10_000) {
                            sum.complete(total[0]);
                        }
                    });
                }
            });
            assertEquals(10_000, Await.result(sum, "10,000 tasks with one signal"));
            assertFalse(signal.isAborted());
            CompletableFuture<Integer> late = Await.onLoop(loop, () -> {
                signal.abort(new IllegalStateException("stop"));
                return pool.submit(x -> x, 1);
            });
            assertEquals(1, Await.result(late, "a task without the signal after the abort"));
        }
    }
}
