package dev.offload.examples;

import dev.offload.EventLoop;
import dev.offload.WorkerPool;

/**
 * The README's quick start, whole: an event loop hands a password hash to a worker pool and prints the result on its
 * own thread, where it can touch its state without locks. The lines between the region markers are the README's
 * snippet, word for word; a test fails the build if the two differ.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=quickstart}
 */
public final class QuickStart {
    private QuickStart() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        // region quickstart
        try (WorkerPool pool = WorkerPool.create(2);
                EventLoop loop = EventLoop.start("main-loop")) {
            loop.execute(() -> pool.submit(Passwords::hash, "hunter2") // runs on a worker thread
                    .thenAccept(hash -> System.out.println(hash + " on the loop: " + loop.inEventLoop())));
        } // closes the loop, which waits for the result it is owed, then the pool
        // endregion
    }
}
