package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.Isolation;
import dev.offload.WorkerPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * P14: real work arriving in bursts. A burst of {@code burst} tasks (the work of {@link RealWorkBenchmark}: SHA-256
 * over 4 KiB, once or 10 times) is handed to the loop from outside, by the benchmark thread; the loop fans it out
 * with at most {@value RealWorkBenchmark#WINDOW} tasks in flight, refilled from the callbacks, and completes the
 * burst once all its results are back; the benchmark thread waits for that before it hands over the next burst. So
 * the gap between bursts, the workers falling idle and their wake-up at the next burst are measured as a user would
 * see them. One operation is one task and one invocation is {@value #TASKS} tasks ({@value #TASKS} / {@code burst}
 * bursts), so the score, nanoseconds per task (lower is better), compares across burst sizes and with P11.
 *
 * <ul>
 *   <li>{@code inline}: the benchmark thread computes every burst itself (the baseline; bursts change nothing here).
 *   <li>{@code bareThreads}: {@code cores} platform threads split each burst equally, with no loop and no per-task
 *       hand-off; the benchmark thread waits for the burst's shares (the ceiling).
 *   <li>{@code offload}: {@link EventLoop} + {@link WorkerPool} of {@code cores} workers, default settings (checked
 *       isolation: the input is copied on submit, the digest on return).
 *   <li>{@code tpeLoop}: a single-thread executor as the loop and a {@code ThreadPoolExecutor(cores)}, through
 *       {@code supplyAsync(task, pool).whenCompleteAsync(next, loop)}.
 *   <li>{@code vertx}: Vert.x 5, one event loop and {@code cores} worker threads, unordered {@code executeBlocking}
 *       from the loop's context; the burst is handed over with {@code runOnContext}.
 * </ul>
 *
 * <p>Target (P14, bursts of 256 SHA-256 tasks): {@code offload} at most 1.2 times {@code bareThreads}' time per task,
 * and at least 1.5 times as fast as {@code tpeLoop}, in the same interleaved round (see {@code scripts/interleaved.py},
 * group {@code burst}).
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar Burst -p burst=256 -p work=sha256x1 -f 1 -wi 3
 * -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BurstBenchmark {
    /** Tasks per invocation, whatever the burst size. */
    static final int TASKS = RealWorkBenchmark.TASKS;

    static final int CORES = RealWorkBenchmark.CORES;

    /** The work and the burst size. */
    @State(Scope.Benchmark)
    public static class Bursts {
        /** SHA-256 over 4 KiB once ({@code sha256x1}, about 2.5 µs) or 10 times ({@code sha256x10}). */
        @Param({"sha256x1", "sha256x10"})
        public String work;

        /** Tasks per burst; divides {@value #TASKS}. */
        @Param({"256", "4096"})
        public int burst;

        /** offload's isolation: CHECKED (the default: each 4 KiB input copied on submit) or TRUSTED (not copied). */
        @Param({"CHECKED"})
        public Isolation isolation;

        /** The task, its inputs and {@code cores} workers, as {@link RealWorkBenchmark} has them. */
        final RealWorkBenchmark.Work load = new RealWorkBenchmark.Work();

        int bursts;

        @Setup(Level.Trial)
        public void setUp() {
            if (burst < 1 || TASKS % burst != 0) {
                throw new IllegalArgumentException(
                        "burst must divide the tasks per invocation: burst=" + burst + ", tasksPerInvocation=" + TASKS);
            }
            bursts = TASKS / burst;
            load.work = work;
            load.workers = "cores";
            load.isolation = isolation;
            load.setUp();
        }
    }

    /** offload: an event loop and a pool of {@code cores} workers, default options. */
    @State(Scope.Benchmark)
    public static class Offload extends RealWorkBenchmark.OffloadWindow {
        @Setup(Level.Trial)
        public void setUp(Bursts b) {
            init(b.load);
        }
    }

    /** Peer: {@code ThreadPoolExecutor(cores)} and a single-thread loop. */
    @State(Scope.Benchmark)
    public static class TpeLoop extends RealWorkBenchmark.ExecutorLoop {
        @Setup(Level.Trial)
        public void setUp(Bursts b) {
            init(b.load, RealWorkBenchmark.TpeLoop.newPool(b.load.workerCount));
        }
    }

    /** Peer: Vert.x 5, one event loop and {@code cores} worker threads. */
    @State(Scope.Benchmark)
    public static class VertxLoop extends RealWorkBenchmark.VertxWindow {
        @Setup(Level.Trial)
        public void setUp(Bursts b) {
            init(b.load);
        }
    }

    private static String notDone(String variant, Bursts b, int index) {
        return "burst did not complete: variant=" + variant + ", burst=" + b.burst + ", index=" + index;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int inline(Bursts b) {
        RealWorkBenchmark.Work w = b.load;
        int checksum = 0;
        for (int first = 0; first < TASKS; first += b.burst) {
            for (int i = first; i < first + b.burst; i++) {
                checksum += RealWorkBenchmark.hash(w.input(i), w.rounds)[0];
            }
        }
        return checksum;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int bareThreads(Bursts b, RealWorkBenchmark.BareThreads s) throws Exception {
        RealWorkBenchmark.Work w = b.load;
        List<Future<Integer>> shares = new ArrayList<>(CORES);
        int checksum = 0;
        for (int k = 0; k < b.bursts; k++) {
            int end = (k + 1) * b.burst;
            shares.clear();
            for (int t = 0; t < CORES; t++) {
                int first = k * b.burst + t;
                shares.add(s.threads.submit(() -> {
                    int sum = 0;
                    for (int i = first; i < end; i += CORES) {
                        sum += RealWorkBenchmark.hash(w.input(i), w.rounds)[0];
                    }
                    return sum;
                }));
            }
            for (Future<Integer> share : shares) {
                checksum += BenchThreads.await(share, notDone("bareThreads", b, k));
            }
        }
        return checksum;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int offload(Bursts b, Offload s) throws Exception {
        int checksum = 0;
        for (int k = 0; k < b.bursts; k++) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            s.loop.execute(() -> s.start(b.load, b.burst, done));
            checksum += BenchThreads.await(done, notDone("offload", b, k));
        }
        return checksum;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int tpeLoop(Bursts b, TpeLoop s) throws Exception {
        int checksum = 0;
        for (int k = 0; k < b.bursts; k++) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            s.loop.execute(() -> s.start(b.load, b.burst, done));
            checksum += BenchThreads.await(done, notDone("tpeLoop", b, k));
        }
        return checksum;
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int vertx(Bursts b, VertxLoop s) throws Exception {
        int checksum = 0;
        for (int k = 0; k < b.bursts; k++) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            s.context.runOnContext(v -> s.start(b.load, b.burst, done));
            checksum += BenchThreads.await(done, notDone("vertx", b, k));
        }
        return checksum;
    }
}
