package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * When one loop cannot feed the pool: several event loops share one pool (each task's completion runs on the loop that
 * submitted it), or each loop has a pool of its own. The README's "How many workers one loop keeps busy" is the model.
 */
class SeveralLoopsTest {
    static Integer square(Integer x) {
        return x * x;
    }

    /** Submits {@code tasks} tasks from {@code loop}, 32 in flight, and checks that each completes on that loop. */
    static CompletableFuture<Long> feed(EventLoop loop, WorkerPool pool, int tasks, AtomicInteger wrongThread) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        loop.execute(new Runnable() {
            int submitted;
            int completed;
            long sum;

            @Override
            public void run() {
                for (int i = 0; i < 32; i++) {
                    next();
                }
            }

            void next() {
                int x = submitted++;
                pool.submit(SeveralLoopsTest::square, x).whenComplete((v, t) -> {
                    if (!Thread.currentThread().getName().equals(loop.name())) {
                        wrongThread.incrementAndGet();
                    }
                    if (t != null) {
                        done.completeExceptionally(t);
                        return;
                    }
                    sum += v;
                    if (++completed == tasks) {
                        done.complete(sum);
                    } else if (submitted < tasks) {
                        next();
                    }
                });
            }
        });
        return done;
    }

    static long expectedSum(int tasks) {
        long s = 0;
        for (long x = 0; x < tasks; x++) {
            s += x * x;
        }
        return s;
    }

    @Test
    void fourLoopsShareOnePool_eachGetsItsOwnCompletions_onItsOwnThread() {
        int tasks = 20_000;
        AtomicInteger wrongThread = new AtomicInteger();
        List<EventLoop> loops = new ArrayList<>();
        try (WorkerPool pool = WorkerPool.create(2)) {
            List<CompletableFuture<Long>> sums = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                EventLoop loop = EventLoop.start("shared-pool-loop-" + i);
                loops.add(loop);
                sums.add(feed(loop, pool, tasks, wrongThread));
            }
            for (CompletableFuture<Long> sum : sums) {
                assertEquals(expectedSum(tasks), Await.result(sum, "one loop's tasks"));
            }
            assertEquals(0, wrongThread.get(), "completions that ran on another loop's thread");
            assertEquals(4L * tasks, pool.stats().completed());
        } finally {
            loops.forEach(EventLoop::close);
        }
    }

    @Test
    void aPoolPerLoop_isolatesTheLoops() {
        int tasks = 5_000;
        AtomicInteger wrongThread = new AtomicInteger();
        try (EventLoop a = EventLoop.start("own-pool-a");
                EventLoop b = EventLoop.start("own-pool-b");
                WorkerPool poolA = WorkerPool.create(1);
                WorkerPool poolB = WorkerPool.create(1)) {
            CompletableFuture<Long> sumA = feed(a, poolA, tasks, wrongThread);
            CompletableFuture<Long> sumB = feed(b, poolB, tasks, wrongThread);
            assertEquals(expectedSum(tasks), Await.result(sumA, "loop a's tasks"));
            assertEquals(expectedSum(tasks), Await.result(sumB, "loop b's tasks"));
            assertEquals(0, wrongThread.get());
            assertEquals(tasks, poolA.stats().completed());
            assertEquals(tasks, poolB.stats().completed());
        }
    }
}
