package dev.offload.examples.node;

import dev.offload.TaskContext;
import dev.offload.WorkerPool;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Node's {@code worker.setEnvironmentData(key, value)} and {@code getEnvironmentData(key)}: data the spawning thread
 * sets once and every new worker receives. On the JVM a pool's {@link WorkerPool.Builder#workerState initializer}
 * does it: it runs once per worker, on that worker's thread, before its first task, and what it returns belongs to
 * that worker alone ({@link TaskContext#state}). So it may also hold what must not be shared, such as a
 * {@code MessageDigest} or a parser, reused by each worker without a lock, like the top level of a Piscina worker
 * file.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=environment-data}
 */
public final class EnvironmentData {
    /**
     * One worker's state.
     *
     * @param data the environment data, the same for every worker
     * @param thread the thread that made this state
     */
    record WorkerEnvironment(Map<String, String> data, String thread) {}

    private EnvironmentData() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Starts a pool whose workers get the environment data, and has tasks read it.
     *
     * @param out where to print
     */
    public static void run(PrintStream out) {
        Map<String, String> environment = Map.of("Hello", "World!"); // setEnvironmentData('Hello', 'World!')
        AtomicInteger initializerRuns = new AtomicInteger();
        WorkerPool pool = WorkerPool.builder()
                .minWorkers(2)
                .maxWorkers(2)
                .workerState(() -> {
                    initializerRuns.incrementAndGet();
                    return new WorkerEnvironment(
                            environment, Thread.currentThread().getName());
                })
                .build();
        Set<String> answers = new TreeSet<>();
        try (pool) {
            List<CompletableFuture<String>> replies = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                replies.add(pool.submit(EnvironmentData::getEnvironmentData, "Hello"));
            }
            replies.forEach(reply -> answers.add(reply.join()));
        }
        out.println("every task read: " + String.join(" | ", answers));
        out.println("initializer runs: " + initializerRuns.get() + " (once per worker, on the worker's own thread)");
    }

    /**
     * The worker side of {@code getEnvironmentData(key)}.
     *
     * @param key the key
     * @return the value and whether the state was made on this very thread
     */
    static String getEnvironmentData(String key) {
        WorkerEnvironment state = TaskContext.current().state(WorkerEnvironment.class);
        boolean own = state.thread().equals(Thread.currentThread().getName());
        return key + " = " + state.data().get(key) + (own ? ", from this worker's own state" : ", from ANOTHER thread");
    }
}
