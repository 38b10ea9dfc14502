package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code maxQueue(0)}: Piscina's {@code maxQueue: 0}, a JDK {@code SynchronousQueue}: a task only for a free worker. */
class NoQueueTest {
    private static WorkerPool.Builder noQueue(String name, int workers) {
        return WorkerPool.builder()
                .name(name)
                .minWorkers(workers)
                .maxWorkers(workers)
                .maxQueue(0)
                .isolation(Isolation.TRUSTED);
    }

    @Test
    void aTaskIsAccepted_onlyWhileAWorkerIsFree_elseRefusedAtOnce_andCounted() {
        AtomicInteger drains = new AtomicInteger();
        try (WorkerPool pool = noQueue("t-no-queue", 2).build()) {
            pool.onDrain(drains::incrementAndGet);
            assertFalse(pool.needsDrain(), "two workers free right after build");
            Blocker a = Blocker.occupy(pool); // accepted at once after build: a started worker counts as free
            Blocker b = Blocker.occupy(pool);
            assertTrue(pool.needsDrain(), "no worker free");
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> pool.submit(x -> x, 1));
            assertTrue(e.getMessage().startsWith("no free worker: maxQueue=0, pool=t-no-queue"), e.getMessage());
            a.releaseAndAwait();
            Await.until(() -> !pool.needsDrain(), "a worker free again");
            Await.until(() -> drains.get() == 1, "onDrain after the refusal, once a worker is free");
            assertEquals(5, (int) Await.result(pool.submit((Integer x) -> x, 5), "a task for the free worker"));
            b.releaseAndAwait();
            PoolStats s = pool.stats();
            assertEquals(1, s.rejected());
            assertEquals(4, s.submitted());
            assertEquals(3, s.completed());
            assertEquals(0, s.queued());
        }
    }

    /** Piscina's pump: submit while the pool does not need a drain, pause when it does, resume on the drain event. */
    @Test
    void aPumpThatPausesOnNeedsDrain_andResumesOnDrain_neverStalls() {
        int total = 5_000;
        AtomicInteger submitted = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        try (WorkerPool pool = noQueue("t-no-queue-pump", 2).build();
                EventLoop loop = EventLoop.start("pump")) {
            Runnable pump = () -> {
                while (submitted.get() < total && !pool.needsDrain()) {
                    pool.submit((Integer x) -> x, 1).whenComplete((v, e) -> done.incrementAndGet());
                    submitted.incrementAndGet();
                }
            };
            loop.execute(() -> {
                pool.onDrain(pump);
                pump.run();
            });
            // It paused without a refusal, so the drain listener, which fired only after a refused submit, never
            // fired, and the pump stalled after two tasks.
            Await.until(() -> done.get() == total, "all " + total + " tasks of the pump done");
        }
    }

    @Test
    void aBurst_acceptsAsManyTasksAsFreeWorkers_andNeverQueuesBehindABusyOne() {
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = noQueue("t-no-queue-burst", 2).build()) {
            List<CompletableFuture<Integer>> accepted = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 1_000; i++) {
                try {
                    accepted.add(pool.submit(
                            x -> {
                                release.await();
                                return x;
                            },
                            i));
                } catch (RejectedExecutionException e) {
                    refused++;
                }
            }
            assertEquals(2, accepted.size(), "accepted while two workers were free");
            assertEquals(998, refused);
            Await.until(() -> pool.stats().busyWorkers() == 2, "both accepted tasks run: none waits in a queue");
            release.countDown();
            for (CompletableFuture<Integer> f : accepted) {
                Await.result(f, "an accepted task");
            }
        }
    }

    @Test
    void cancelledAndFinishedTasks_giveTheirWorkerBack_fromAnEventLoopToo() {
        try (WorkerPool pool = noQueue("t-no-queue-loop", 1).build();
                EventLoop loop = EventLoop.start("t-no-queue-loop")) {
            for (int round = 0; round < 200; round++) {
                CompletableFuture<Integer> f = Await.onLoop(loop, () -> pool.submit((Integer x) -> x + 1, 1));
                assertEquals(2, Await.result(f, "round " + round));
                Await.until(() -> !pool.needsDrain(), "the worker free again after round " + round);
            }
            Blocker blocker = Blocker.occupy(pool);
            blocker.future().cancel(true); // a running task cancelled: the worker leaves it and is free again
            Await.until(() -> !pool.needsDrain(), "the worker free after a cancel");
            assertEquals(3, (int) Await.result(pool.submit((Integer x) -> x + 1, 2), "a task after the cancel"));
        }
    }

    @Test
    void aPoolBelowMaxWorkers_growsAfterARefusal() {
        try (WorkerPool pool = WorkerPool.builder()
                .name("t-no-queue-grow")
                .minWorkers(1)
                .maxWorkers(2)
                .maxQueue(0)
                .isolation(Isolation.TRUSTED)
                .build()) {
            Blocker first = Blocker.occupy(pool);
            try {
                assertThrows(RejectedExecutionException.class, () -> pool.submit(x -> x, 1));
                Await.until(() -> !pool.needsDrain(), "a second worker started for the next submit");
                Blocker second = Blocker.occupy(pool);
                assertEquals(2, pool.stats().workers());
                second.releaseAndAwait();
            } finally {
                first.release();
            }
        }
    }
}
