package dev.offload.bench;

import dev.offload.EventLoop;
import dev.offload.Isolation;
import dev.offload.Task;
import dev.offload.WorkerPool;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * P16: how soon real work reaches its steady speed in a fresh JVM. Not a JMH benchmark: JMH's warm-up iterations are
 * exactly what this looks at, so it runs as a plain program, one variant per JVM. It runs {@link RealWorkBenchmark}'s
 * shape (SHA-256 over 4 KiB per task, about 2.5 µs) without a pause for {@code seconds} and prints how many tasks
 * completed in each 100 ms slot: the slot's start (ms since the work began), its tasks and the microseconds per task
 * (the slot's wall time divided by its tasks: lower is better, comparable with the JMH scores).
 *
 * <ul>
 *   <li>{@code offload}: an {@link EventLoop} keeps {@value RealWorkBenchmark#WINDOW} tasks in flight on a
 *       {@link WorkerPool} of {@code cores} workers, default settings but for the isolation (the third argument:
 *       {@code CHECKED}, the default, copies each 4 KiB input on submit; {@code TRUSTED} passes it as is); each result
 *       back on the loop submits the next.
 *   <li>{@code inline}: one thread computes task after task (the baseline).
 *   <li>{@code bareThreads}: {@code cores} threads each compute task after task, with no hand-off.
 * </ul>
 *
 * <p>The clock starts once the loop, the pool or the threads are built (the build's milliseconds are printed apart).
 * The summary gives the first slot, the time to steady state (the end of the first slot whose rate reaches 90 % of the
 * median rate of the last 2 s; 100 ms if the first slot does), the microseconds per task over the first second and
 * the median of the last 2 s, and, for scripts, all of these on one {@code summary key=value ...} line. Target (P16):
 * {@code offload}'s time to steady state within 2 times {@code inline}'s ({@code scripts/warmup.py} alternates the two
 * in fresh JVMs).
 *
 * <p>Run: {@code scripts/java25 -cp benchmarks/target/benchmarks.jar dev.offload.bench.WarmupProbe offload 10}
 */
public final class WarmupProbe {
    /** The length of a slot. */
    static final long SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** The slots whose median rate is the steady state: the last 2 s. */
    static final int STEADY_SLOTS = 20;
    /** The slots of the first second. */
    static final int FIRST_SECOND_SLOTS = 10;
    /** The share of the steady rate at which a slot counts as steady. */
    static final double STEADY_SHARE = 0.9;

    private WarmupProbe() {}

    /** Work running without a pause until stopped. */
    private interface Load {
        /** Begins the work. Main thread only. */
        void start();

        /**
         * Returns the tasks completed so far. Any thread.
         *
         * @return the count
         */
        long completed();

        /**
         * Stops the work, waits (bounded) for it to end and releases its threads. Main thread only.
         *
         * @return a checksum of the results, so that no work is optimized away
         * @throws Exception if the work failed or did not end in time
         */
        long stop() throws Exception;
    }

    /** A count written by one thread and read by others. */
    private static final class Counter {
        private final AtomicLong value = new AtomicLong();

        /** Owner thread only. */
        void increment() {
            value.setRelease(value.getPlain() + 1); // publishes the count to the sampling thread
        }

        /** Any thread. */
        long get() {
            return value.getAcquire();
        }
    }

    /** {@code threads} threads each computing task after task. */
    private static final class Threads implements Load {
        private final List<Thread> threads = new ArrayList<>();
        private final Counter[] counters;
        private final long[] checksums;
        private final Throwable[] failures;
        private volatile boolean stopping;

        Threads(RealWorkBenchmark.Work work, int count, String name) {
            counters = new Counter[count];
            checksums = new long[count];
            failures = new Throwable[count];
            for (int t = 0; t < count; t++) {
                int me = t;
                counters[t] = new Counter();
                threads.add(BenchThreads.daemonThreads(name).newThread(() -> run(work, me, count)));
            }
        }

        private void run(RealWorkBenchmark.Work work, int me, int count) {
            Counter counter = counters[me];
            long checksum = 0;
            try {
                for (int i = me; !stopping; i += count) {
                    checksum += RealWorkBenchmark.hash(work.input(i), work.rounds)[0];
                    counter.increment();
                }
            } catch (Throwable t) {
                failures[me] = t; // read after join()
            }
            checksums[me] = checksum; // read after join()
        }

        @Override
        public void start() {
            threads.forEach(Thread::start);
        }

        @Override
        public long completed() {
            long sum = 0;
            for (Counter c : counters) {
                sum += c.get();
            }
            return sum;
        }

        @Override
        public long stop() throws InterruptedException {
            stopping = true;
            long checksum = 0;
            for (int t = 0; t < threads.size(); t++) {
                BenchThreads.join(threads.get(t));
                if (failures[t] != null) {
                    throw new IllegalStateException(
                            "task failed: thread=" + threads.get(t).getName(), failures[t]);
                }
                checksum += checksums[t];
            }
            return checksum;
        }
    }

    /** A loop keeping {@value RealWorkBenchmark#WINDOW} tasks in flight on a pool. Loop thread only, unless said. */
    private static final class Offload implements Load {
        private final Task<byte[], byte[]> task = RealWorkBenchmark::sha256x1;
        private final Counter counter = new Counter();
        private final BiConsumer<byte[], Throwable> onResult = this::onResult;
        private final CompletableFuture<Long> drained = new CompletableFuture<>();
        private final RealWorkBenchmark.Work work;
        private final EventLoop loop;
        private final WorkerPool pool;
        private volatile boolean stopping;
        private long submitted;
        private long checksum;
        private int inFlight;

        Offload(RealWorkBenchmark.Work work) {
            this.work = work;
            loop = EventLoop.builder().name("probe-loop").daemon(true).start();
            pool = WorkerPool.builder()
                    .name("probe-pool")
                    .minWorkers(work.workerCount)
                    .maxWorkers(work.workerCount)
                    .daemon(true)
                    .isolation(work.isolation)
                    .build();
        }

        /** Main thread only. */
        @Override
        public void start() {
            loop.execute(() -> {
                try {
                    while (inFlight < RealWorkBenchmark.WINDOW) {
                        submitOne();
                    }
                } catch (Throwable t) {
                    drained.completeExceptionally(t);
                }
            });
        }

        private void submitOne() {
            inFlight++;
            pool.submit(task, work.input((int) (submitted++ % RealWorkBenchmark.WINDOW)))
                    .whenComplete(onResult);
        }

        private void onResult(byte[] digest, Throwable failure) {
            inFlight--;
            if (failure != null) {
                drained.completeExceptionally(failure);
                return;
            }
            checksum += digest[0];
            counter.increment();
            if (!stopping) {
                try {
                    submitOne();
                } catch (Throwable t) {
                    drained.completeExceptionally(t);
                }
            } else if (inFlight == 0) {
                drained.complete(checksum);
            }
        }

        /** Any thread. */
        @Override
        public long completed() {
            return counter.get();
        }

        /** Main thread only. */
        @Override
        public long stop() throws Exception {
            stopping = true;
            try {
                return BenchThreads.await(drained, "the tasks in flight did not complete after the stop");
            } finally {
                BenchThreads.close(loop);
                BenchThreads.close(pool);
            }
        }
    }

    /** One slot: when it started and ended (ns since the work began) and its tasks. */
    private record Slot(long startNanos, long endNanos, long tasks) {
        double usPerTask() {
            return tasks == 0 ? Double.POSITIVE_INFINITY : (endNanos - startNanos) / 1e3 / tasks;
        }

        double rate() {
            return (double) tasks / (endNanos - startNanos);
        }
    }

    /**
     * Runs one variant and prints its slots and summary.
     *
     * @param args {@code offload|inline|bareThreads [seconds=10] [isolation=CHECKED]}; seconds at least 3; the
     *     isolation ({@code CHECKED} or {@code TRUSTED}) is the pool's, for {@code offload} only
     * @throws Exception if the work failed or did not end in time
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3) {
            throw new IllegalArgumentException(
                    "usage: WarmupProbe offload|inline|bareThreads [seconds=10] [isolation=CHECKED]: args="
                            + Arrays.toString(args));
        }
        String variant = args[0];
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        if (seconds < 3) {
            throw new IllegalArgumentException(
                    "seconds must be at least 3 (the last 2 s are the steady state): " + "seconds=" + seconds);
        }
        RealWorkBenchmark.Work work = new RealWorkBenchmark.Work();
        work.work = "sha256x1";
        work.workers = "cores";
        work.isolation = args.length > 2 ? isolation(args[2]) : Isolation.CHECKED;
        work.setUp();

        long setupStart = System.nanoTime();
        Load load =
                switch (variant) {
                    case "offload" -> new Offload(work);
                    case "inline" -> new Threads(work, 1, "probe-inline");
                    case "bareThreads" -> new Threads(work, work.workerCount, "probe-bare");
                    default ->
                        throw new IllegalArgumentException(
                                "variant must be offload, inline or bareThreads: variant=" + variant);
                };
        long setupNanos = System.nanoTime() - setupStart;

        Slot[] slots = new Slot[(int) (TimeUnit.SECONDS.toNanos(seconds) / SLOT_NANOS)];
        long begin = System.nanoTime();
        load.start();
        long lastEnd = 0;
        long lastCount = 0;
        for (int k = 0; k < slots.length; k++) {
            long due = begin + (k + 1) * SLOT_NANOS;
            for (long now = System.nanoTime(); now < due; now = System.nanoTime()) {
                LockSupport.parkNanos(due - now);
            }
            long count = load.completed();
            long end = System.nanoTime() - begin;
            slots[k] = new Slot(lastEnd, end, count - lastCount);
            lastEnd = end;
            lastCount = count;
        }
        long checksum = load.stop();
        print(variant, work.isolation, seconds, setupNanos, slots, checksum);
    }

    private static Isolation isolation(String name) {
        for (Isolation i : Isolation.values()) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException(
                "isolation must be one of " + Arrays.toString(Isolation.values()) + ": isolation=" + name);
    }

    private static void print(
            String variant, Isolation isolation, int seconds, long setupNanos, Slot[] slots, long checksum) {
        System.out.printf(
                Locale.ROOT,
                "variant=%s isolation=%s cores=%d seconds=%d%n",
                variant,
                isolation,
                RealWorkBenchmark.CORES,
                seconds);
        System.out.println("# slot start ms, tasks, µs per task");
        for (Slot s : slots) {
            System.out.printf(Locale.ROOT, "%8.1f %8d %8.3f%n", s.startNanos / 1e6, s.tasks, s.usPerTask());
        }

        double[] steadyRates = Arrays.stream(slots, slots.length - STEADY_SLOTS, slots.length)
                .mapToDouble(Slot::rate)
                .toArray();
        double steadyRate = median(steadyRates);
        int steadySlot = 0;
        while (slots[steadySlot].rate() < STEADY_SHARE * steadyRate) {
            steadySlot++; // ends at the latest within the last 2 s: half of those slots are at the median or above
        }
        double timeToSteadyMs = slots[steadySlot].endNanos / 1e6;
        double steadyUs = median(Arrays.stream(slots, slots.length - STEADY_SLOTS, slots.length)
                .mapToDouble(Slot::usPerTask)
                .toArray());
        Slot lastOfFirstSecond = slots[FIRST_SECOND_SLOTS - 1];
        long firstSecondTasks = Arrays.stream(slots, 0, FIRST_SECOND_SLOTS)
                .mapToLong(Slot::tasks)
                .sum();
        double firstSecondUs =
                firstSecondTasks == 0 ? Double.POSITIVE_INFINITY : lastOfFirstSecond.endNanos / 1e3 / firstSecondTasks;
        Slot first = slots[0];

        System.out.printf(Locale.ROOT, "setup (not in the slots): %.1f ms%n", setupNanos / 1e6);
        System.out.printf(Locale.ROOT, "first slot: %d tasks, %.3f µs per task%n", first.tasks, first.usPerTask());
        System.out.printf(
                Locale.ROOT,
                "steady state: slot %d (from %.1f ms) is the first at >= %.0f %% of the last 2 s' median rate; "
                        + "time to steady state %.1f ms%n",
                steadySlot,
                slots[steadySlot].startNanos / 1e6,
                100 * STEADY_SHARE,
                timeToSteadyMs);
        System.out.printf(Locale.ROOT, "first second: %.3f µs per task%n", firstSecondUs);
        System.out.printf(Locale.ROOT, "last 2 s, median: %.3f µs per task%n", steadyUs);
        System.out.printf(
                Locale.ROOT,
                "summary variant=%s isolation=%s cores=%d setupMs=%.1f firstSlotTasks=%d firstSlotUsPerTask=%.3f "
                        + "steadySlot=%d timeToSteadyMs=%.1f firstSecondUsPerTask=%.3f steadyUsPerTask=%.3f "
                        + "checksum=%d%n",
                variant,
                isolation,
                RealWorkBenchmark.CORES,
                setupNanos / 1e6,
                first.tasks,
                first.usPerTask(),
                steadySlot,
                timeToSteadyMs,
                firstSecondUs,
                steadyUs,
                checksum);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
