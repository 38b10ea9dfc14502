package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.Task;
import dev.offload.WorkerPool;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * P5: throughput, in tasks per second, of CPU-bound tasks of about 100 µs ({@link Blackhole#consumeCPU}) on a pool of
 * 1 or 2 workers, driven by an event loop that keeps {@code perWorker} &times; {@code workers} tasks in flight (each
 * completion, on the loop, submits the next). The default of 8 per worker keeps every worker's next task queued, so
 * the figure is the pool's scaling; with 2 per worker it also includes how fast a parked loop wakes to refill the
 * queue ({@code -p perWorker=2}). One operation is one task; one invocation runs {@value #TASKS} tasks. Target: the
 * {@code workers=2} score &ge; 1.85 &times; the {@code workers=1} score.
 *
 * <p>The token count is calibrated once per fork, before any pool thread starts, by timing
 * {@code Blackhole.consumeCPU} on this machine (best of several timed runs after a warm-up); the fork prints it. Each
 * {@code workers} value runs in its own fork and calibrates on its own; compare the printed counts, or pin one count
 * for both with {@code -p taskTokens=N}.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar CpuBoundScaling -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CpuBoundScalingBenchmark {
    /** Tasks per invocation: 100 ms with one worker. */
    static final int TASKS = 1000;

    /** The target duration of one task. */
    static final long TASK_NANOS = 100_000;

    /** Tasks in flight per worker. */
    @Param("8")
    public int perWorker;

    @Param({"1", "2"})
    public int workers;

    /** {@code consumeCPU} tokens per task; 0 calibrates them for {@link #TASK_NANOS} at the start of the fork. */
    @Param("0")
    public long taskTokens;

    private final Task<Long, Long> task = CpuBoundScalingBenchmark::burn;
    private final BiConsumer<Long, Throwable> onResult = this::onResult;
    private EventLoop loop;
    private WorkerPool pool;
    private Long tokens;

    // loop thread only
    private CompletableFuture<Integer> done;
    private int submitted;
    private int completed;

    static Long burn(Long tokens) {
        Blackhole.consumeCPU(tokens);
        return tokens;
    }

    /**
     * Returns how many {@link Blackhole#consumeCPU} tokens take about {@code nanos} on this machine: the best of
     * several timed runs after a warm-up, so that a preempted run does not inflate it.
     *
     * @param nanos the target duration
     * @return the token count, at least 1
     */
    static long calibrateTokens(long nanos) {
        long probe = 100_000;
        for (int i = 0; i < 200; i++) { // warm-up: let consumeCPU be compiled
            Blackhole.consumeCPU(probe);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            Blackhole.consumeCPU(probe);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return Math.max(1, probe * nanos / Math.max(1, best));
    }

    @Setup(Level.Trial)
    public void setUp() {
        long t = taskTokens > 0 ? taskTokens : calibrateTokens(TASK_NANOS);
        tokens = t;
        System.out.println("consumeCPU tokens per task: " + t + (taskTokens > 0 ? " (given)" : " (calibrated)"));
        loop = EventLoop.builder().name("bench-loop").daemon(true).start();
        pool = WorkerPool.builder()
                .name("bench-pool")
                .minWorkers(workers)
                .maxWorkers(workers)
                .daemon(true)
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        BenchThreads.close(loop);
        BenchThreads.close(pool);
    }

    private void start(CompletableFuture<Integer> done) {
        this.done = done;
        submitted = 0;
        completed = 0;
        try {
            int window = Math.min(perWorker * workers, TASKS);
            while (submitted < window) {
                submitted++;
                pool.submit(task, tokens).whenComplete(onResult);
            }
        } catch (Throwable t) {
            done.completeExceptionally(t);
        }
    }

    private void onResult(Long value, Throwable failure) {
        if (failure != null) {
            done.completeExceptionally(failure);
        } else if (++completed == TASKS) {
            done.complete(completed);
        } else if (submitted < TASKS) {
            submitted++;
            try {
                pool.submit(task, tokens).whenComplete(onResult);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public Integer cpuBoundTasks() throws Exception {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        loop.execute(() -> start(f));
        return BenchThreads.await(f);
    }
}
