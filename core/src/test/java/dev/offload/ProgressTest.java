package dev.offload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Progress values from pool tasks ({@link TaskContext#post}): in order, on the submitter's loop, before completion. */
class ProgressTest {
    static Integer countTo(Integer n) {
        for (int i = 1; i <= n; i++) {
            TaskContext.current().post(i);
        }
        return -1;
    }

    @Test
    void progress_arrivesInOrder_onTheLoop_alwaysBeforeTheCompletion_for500Tasks() {
        int tasks = 500;
        int posts = 50;
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(tasks);
        try (EventLoop loop = EventLoop.start("progress-loop");
                WorkerPool pool = WorkerPool.create(2)) {
            loop.execute(() -> {
                for (int t = 0; t < tasks; t++) {
                    int task = t;
                    int[] next = {1};
                    boolean[] completed = {false};
                    TaskOptions options = TaskOptions.DEFAULT.withProgress(v -> {
                        if (!loop.inEventLoop()) {
                            violations.add("task " + task + ": progress off the loop");
                        }
                        if (completed[0]) {
                            violations.add("task " + task + ": progress " + v + " after the completion");
                        }
                        if ((Integer) v != next[0]++) {
                            violations.add("task " + task + ": progress " + v + " out of order");
                        }
                    });
                    pool.submit(ProgressTest::countTo, posts, options).whenComplete((r, e) -> {
                        completed[0] = true;
                        if (next[0] != posts + 1) {
                            violations.add("task " + task + ": completed after " + (next[0] - 1) + " progress values");
                        }
                        done.countDown();
                    });
                }
            });
            Await.latch(done, tasks + " tasks");
        }
        assertEquals(List.of(), violations);
    }

    static Integer postArray(Integer ignored) {
        int[] values = {1, 2, 3};
        TaskContext.current().post(values);
        values[0] = 99; // after the post: the listener has its own copy
        return 0;
    }

    static Integer postUnsendable(Integer ignored) {
        try {
            TaskContext.current().post(new Object());
            return 0;
        } catch (NotSendableException e) {
            return 1;
        }
    }

    static Integer postWithoutListener(Integer ignored) {
        TaskContext.current().post("nobody listens");
        return 7;
    }

    @Test
    void progressValues_areCloned_checked_andDroppedWithoutAListener_offALoopToo() {
        try (WorkerPool pool = WorkerPool.create(1)) {
            CompletableFuture<int[]> got = new CompletableFuture<>();
            pool.submit(ProgressTest::postArray, 0, TaskOptions.DEFAULT.withProgress(v -> got.complete((int[]) v)))
                    .join();
            assertArrayEquals(new int[] {1, 2, 3}, Await.result(got, "the progress value"));
            assertEquals(1, pool.submit(ProgressTest::postUnsendable, 0).join(), "post throws NotSendableException");
            assertEquals(7, pool.submit(ProgressTest::postWithoutListener, 0).join());
        }
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> TaskContext.current());
        assertTrue(outside.getMessage().contains("outside a worker thread"), outside.getMessage());
    }

    static volatile boolean releaseSlow;

    static Integer postUntilReleased(Integer ignored) {
        int i = 0;
        while (!releaseSlow) {
            TaskContext.current().post(i++); // keeps posting after the cancel was decided
            Thread.onSpinWait();
        }
        return i;
    }

    @Test
    void aCancelledTask_neverDeliversProgressAfterItsCompletion() {
        releaseSlow = false;
        AtomicInteger after = new AtomicInteger();
        AtomicInteger before = new AtomicInteger();
        try (EventLoop loop = EventLoop.start("cancel-loop");
                WorkerPool pool = WorkerPool.create(1)) {
            boolean[] completed = {false};
            CompletableFuture<Integer> f = Await.onLoop(
                    loop,
                    () -> pool.submit(
                            ProgressTest::postUntilReleased,
                            0,
                            TaskOptions.DEFAULT.withProgress(v -> (completed[0] ? after : before).incrementAndGet())));
            Await.until(() -> before.get() > 100, "some progress before the cancel");
            CompletableFuture<Void> cancelled = new CompletableFuture<>();
            loop.execute(() -> {
                f.whenComplete((r, e) -> {
                    completed[0] = true;
                    cancelled.complete(null);
                });
                f.cancel(true);
            });
            Await.result(cancelled, "the cancel's completion on the loop");
            releaseSlow = true;
            Await.onLoop(loop, () -> "a pass after the task ended");
            assertInstanceOf(Integer.class, before.get());
        } finally {
            releaseSlow = true;
        }
        assertEquals(0, after.get(), "progress values delivered after the completion");
    }
}
