package dev.offload;

import java.time.Duration;

/**
 * A program for {@link ShutdownHookTest}: a pool with a shutdown hook and a task that takes a while; the program exits
 * at once, and the hook's graceful close lets the task finish first.
 */
public final class ShutdownHookChild {
    private ShutdownHookChild() {}

    /**
     * Runs the program.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        WorkerPool pool = WorkerPool.builder()
                .name("child")
                .minWorkers(1)
                .maxWorkers(1)
                .shutdownHook(Duration.ofSeconds(10))
                .build();
        pool.submit(
                        (Integer ms) -> {
                            Thread.sleep(ms);
                            return "task finished";
                        },
                        300)
                .thenAccept(System.out::println);
        System.out.println("exiting");
        System.exit(0); // the pool is open: its shutdown hook closes it gracefully, so the task finishes first
    }
}
