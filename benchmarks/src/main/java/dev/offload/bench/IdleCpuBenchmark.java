package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.IdleStrategy;
import dev.offload.Task;
import dev.offload.WorkerPool;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;

/**
 * P9: CPU burned by an idle {@link EventLoop} and an idle {@link WorkerPool} of 2 workers, both {@code BALANCED} (the
 * {@code idle} parameter).
 *
 * <p>Each shot warms them with {@value #WARM_TASKS} no-op round trips (submitted from the loop, one at a time), lets
 * the idle strategy settle for {@value #SETTLE_MILLIS} ms, then reads the CPU time ({@link ThreadMXBean}, user +
 * system) of the loop thread and of the 2 worker threads, found by name, across an idle window of
 * {@code idleWindowMillis}, and divides it by the window's measured wall time. The results are the auxiliary counters,
 * in percent of one core: {@code loopCpuPercent}, {@code workersCpuPercent} (both workers together) and
 * {@code totalCpuPercent}, each the mean over the measurement shots (JMH sums these counters over shots; see
 * {@link BenchThreads#meanShare}). Target: {@code totalCpuPercent} &lt; 1. The primary score is just the shot's wall
 * time.
 *
 * <p>The default window is 1000 ms so that CI stays quick; P9 figures are quoted from a 5 s window:
 * {@code -p idleWindowMillis=5000}.
 *
 * <p>Run: {@code scripts/java25 -jar benchmarks/target/benchmarks.jar IdleCpu -f 1 -wi 3 -i 5 -p idleWindowMillis=5000}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(1)
public class IdleCpuBenchmark {
    static final int WORKERS = 2;
    static final int WARM_TASKS = 100;
    static final long SETTLE_MILLIS = 200;
    static final String LOOP_NAME = "idle-loop";
    static final String POOL_NAME = "idle-pool";

    /** The idle strategy of the loop and the workers; {@code -p idle=LATENCY} checks that spinning shows up (~200 %). */
    @Param("BALANCED")
    public IdleStrategy idle;

    /** The idle window in milliseconds. */
    @Param("1000")
    public long idleWindowMillis;

    private final Task<Integer, Integer> task = IdleCpuBenchmark::noop;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private EventLoop loop;
    private WorkerPool pool;
    private long loopThreadId;
    private long[] workerThreadIds;

    static Integer noop(Integer input) {
        return input;
    }

    /** What the shots found, in percent of one core, mean over the measurement shots. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuPercent {
        /** CPU time of the loop thread over the idle window, in percent of one core. */
        public double loopCpuPercent;
        /** CPU time of both worker threads together over the idle window, in percent of one core. */
        public double workersCpuPercent;
        /** The sum of the two, in percent of one core. */
        public double totalCpuPercent;

        private double share;

        @Setup(Level.Iteration)
        public void reset(BenchmarkParams benchmark, IterationParams iteration) {
            share = BenchThreads.meanShare(benchmark, iteration);
            loopCpuPercent = 0;
            workersCpuPercent = 0;
            totalCpuPercent = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("thread CPU time is not supported by this JVM");
        }
        threads.setThreadCpuTimeEnabled(true);
        loop = EventLoop.builder()
                .name(LOOP_NAME)
                .idleStrategy(idle)
                .daemon(true)
                .start();
        pool = WorkerPool.builder()
                .name(POOL_NAME)
                .minWorkers(WORKERS)
                .maxWorkers(WORKERS)
                .idleStrategy(idle)
                .daemon(true)
                .build();
        warm(); // the workers start lazily or not: after a few tasks they exist
        loopThreadId = findThreads(LOOP_NAME, 1)[0];
        workerThreadIds = findThreads(POOL_NAME + "-worker-", WORKERS);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        BenchThreads.close(loop);
        BenchThreads.close(pool);
    }

    private void warm() throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        loop.execute(() -> warmChain(done, WARM_TASKS));
        BenchThreads.await(done);
    }

    private void warmChain(CompletableFuture<Integer> done, int remaining) {
        pool.submit(task, remaining).whenComplete((v, failure) -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else if (remaining == 1) {
                done.complete(v);
            } else {
                warmChain(done, remaining - 1);
            }
        });
    }

    /** Ids of the live threads whose name is {@code name}, or starts with it when it ends with '-'. */
    private static long[] findThreads(String name, int expected) {
        List<Thread> found = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            boolean match = name.endsWith("-")
                    ? t.getName().startsWith(name)
                    : t.getName().equals(name);
            if (match && t.isAlive()) {
                found.add(t);
            }
        }
        if (found.size() != expected) {
            throw new IllegalStateException(
                    "unexpected thread count: name=" + name + ", expected=" + expected + ", found=" + found);
        }
        return found.stream().mapToLong(Thread::threadId).toArray();
    }

    private long cpuNanos(long id) {
        long t = threads.getThreadCpuTime(id);
        if (t < 0) {
            throw new IllegalStateException("thread ended or CPU time disabled: threadId=" + id);
        }
        return t;
    }

    private long workersCpuNanos() {
        long sum = 0;
        for (long id : workerThreadIds) {
            sum += cpuNanos(id);
        }
        return sum;
    }

    @Benchmark
    public double idleCpu(CpuPercent result) throws Exception {
        warm();
        Thread.sleep(SETTLE_MILLIS);
        long loop0 = cpuNanos(loopThreadId);
        long workers0 = workersCpuNanos();
        long wall0 = System.nanoTime();
        Thread.sleep(idleWindowMillis);
        long loop1 = cpuNanos(loopThreadId);
        long workers1 = workersCpuNanos();
        long wall = System.nanoTime() - wall0;
        double loopPercent = 100.0 * (loop1 - loop0) / wall;
        double workersPercent = 100.0 * (workers1 - workers0) / wall;
        result.loopCpuPercent = result.share * loopPercent;
        result.workersCpuPercent = result.share * workersPercent;
        result.totalCpuPercent = result.share * (loopPercent + workersPercent);
        return loopPercent + workersPercent;
    }
}
