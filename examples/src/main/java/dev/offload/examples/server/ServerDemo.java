package dev.offload.examples.server;

import dev.offload.EventLoop;
import dev.offload.EventLoopUtilization;
import dev.offload.PoolStats;
import dev.offload.RestartPolicy;
import dev.offload.WorkerPool;
import dev.offload.examples.CommandLine;
import dev.offload.examples.Passwords;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * The main example: why offload exists, measured. An HTTP server runs every request on one event-loop thread; a load
 * generator on loopback calls its cheap {@code /ping} at a steady rate while other clients keep its CPU-heavy
 * {@code /compute} busy, first with {@code /compute} inline on the loop, then offloaded to a {@link WorkerPool}, then
 * offloaded while some requests crash or hang their worker. It prints one table: {@code /ping}'s latency and
 * {@code /compute}'s throughput per mode, the pool's statistics and the loop's utilization.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec} (options: {@code -Dargs="--help"}); keep
 * the server up for curl with {@code -Dargs="--serve"}.
 */
public final class ServerDemo {
    /** Time limit of a task in the faults mode (after the JIT warm-up): a hung request is answered 504 after it. */
    static final Duration TASK_TIMEOUT = Duration.ofMillis(250);

    /** Time limit of a task with {@code --serve}, which starts cold: an interpreted hash takes far longer. */
    static final Duration SERVE_TASK_TIMEOUT = Duration.ofSeconds(2);

    /** How long a timed-out task may go on before its worker is abandoned and replaced. */
    static final Duration GRACE = Duration.ofMillis(250);

    /** One faulty request per this interval in the faults mode, alternately a crash and a hang. */
    static final Duration FAULT_INTERVAL = Duration.ofMillis(500);

    /**
     * The demo's settings.
     *
     * @param duration how long each mode runs
     * @param clients clients calling {@code /compute} back to back
     * @param pingRate {@code /ping} requests per second
     * @param workers worker threads in the pool
     * @param rounds PBKDF2 rounds per {@code /compute} request
     */
    public record Settings(Duration duration, int clients, int pingRate, int workers, int rounds) {}

    /**
     * What one mode measured.
     *
     * @param name the mode's name in the table
     * @param load what the clients saw
     * @param loop the loop's utilization during the mode
     * @param pool the pool's statistics at the end of the mode, or null inline
     */
    public record Mode(String name, LoadGenerator.Result load, EventLoopUtilization loop, PoolStats pool) {}

    /**
     * What the demo measured: the three modes in order, and offload's log lines counted by kind.
     *
     * @param inline {@code /compute} on the loop
     * @param offloaded {@code /compute} on a pool
     * @param faults on a pool, with crashing and hanging requests
     * @param logLines log lines by kind
     */
    public record Report(Mode inline, Mode offloaded, Mode faults, Map<String, Integer> logLines) {}

    private ServerDemo() {}

    static CommandLine options() {
        return CommandLine.of("server")
                .option("duration", "5s", "how long each of the three modes runs")
                .option("clients", "4", "clients calling /compute back to back: its concurrency")
                .option("rate", "200", "/ping requests per second, from one client")
                .option("workers", String.valueOf(Runtime.getRuntime().availableProcessors()), "pool size")
                .option("rounds", "20000", "PBKDF2 rounds per /compute request: its CPU cost")
                .flag("serve", "keep the server up for curl instead (offloaded; Ctrl-C stops it)")
                .option("port", "8080", "the port for --serve (the demo picks a free one)");
    }

    /**
     * Runs the demo, or the server alone with {@code --serve}.
     *
     * @param args options, see {@code --help}
     * @throws Exception if the server cannot start or the run is interrupted
     */
    public static void main(String[] args) throws Exception {
        CommandLine line = options().parse(args);
        if (line.helpWanted()) {
            System.out.print(line.help());
            return;
        }
        Settings settings = new Settings(
                line.duration("duration"),
                line.integer("clients", 1),
                line.integer("rate", 1),
                line.integer("workers", 1),
                line.integer("rounds", 1));
        if (line.flag("serve")) {
            int port = line.integer("port", 0);
            try {
                serve(settings, port, System.out);
            } catch (BindException e) {
                throw new CommandLine.UsageException("cannot listen on 127.0.0.1:" + port + " (" + e.getMessage()
                        + "); pick another port: -Dargs=\"--serve --port " + (port + 1) + "\"");
            }
        } else {
            print(run(settings, System.out), settings, System.out);
        }
    }

    /**
     * Runs the three modes, drawing a progress bar per mode on {@code out}, and returns what they measured. Closes
     * everything it started before it returns.
     *
     * @param settings the settings
     * @param out where the progress goes
     * @return the measurements
     * @throws IOException if the server cannot start
     * @throws InterruptedException if interrupted
     * @throws ExecutionException if a warm-up hash fails
     */
    public static Report run(Settings settings, PrintStream out)
            throws IOException, InterruptedException, ExecutionException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        EventLoop loop = EventLoop.start("http-loop");
        try (PoolLog log = PoolLog.capture();
                ComputeServer server = ComputeServer.start(loop, address, settings.rounds())) {
            printIntro(settings, server.port(), out);
            warmUp(settings, server, out);
            Mode inline = measure("inline on the loop", settings, server, loop, null, null, out);
            Mode offloaded;
            try (WorkerPool pool = WorkerPool.create(settings.workers())) {
                offloaded = measure(
                        "offloaded, " + settings.workers() + " workers", settings, server, loop, pool, null, out);
            }
            Mode faults;
            WorkerPool supervised = supervisedPool(settings.workers(), TASK_TIMEOUT);
            try {
                faults = measure("offloaded, with faults", settings, server, loop, supervised, FAULT_INTERVAL, out);
            } finally {
                supervised.close(Duration.ofSeconds(5));
            }
            return new Report(inline, offloaded, faults, log.counts());
        } finally {
            loop.close();
        }
    }

    /**
     * The pool of the faults mode and of {@code --serve}: a time limit per task, a short grace period, and quick
     * restarts.
     *
     * @param workers the pool size
     * @param taskTimeout the time limit of a task
     * @return the pool
     */
    static WorkerPool supervisedPool(int workers, Duration taskTimeout) {
        return WorkerPool.builder()
                .name("compute")
                .minWorkers(workers)
                .maxWorkers(workers)
                .taskTimeout(taskTimeout) // a task running longer fails with TaskTimeoutException and is interrupted
                .cancelGracePeriod(GRACE) // if it ignores that 250 ms longer, its worker is abandoned and replaced
                // PM2-style: a worker that ran 200 ms was stable and is replaced at once; quicker crashes back off.
                .restartPolicy(new RestartPolicy(
                        Duration.ofMillis(10), 2.0, Duration.ofSeconds(1), Duration.ofMillis(200), 16))
                .build();
    }

    /**
     * Gets the JIT past the interpreter before anything is measured: PBKDF2 runs about ten times slower until it is
     * compiled, after a hundred hashes or so. Then half a second of each mode warms the HTTP path.
     */
    private static void warmUp(Settings settings, ComputeServer server, PrintStream out)
            throws InterruptedException, ExecutionException {
        ProgressBar bar = ProgressBar.start(out, "warming up the JIT");
        int hashes = Math.max(50, 2_000_000 / settings.rounds());
        int rounds = settings.rounds();
        try (WorkerPool pool = WorkerPool.create(settings.workers())) {
            List<CompletableFuture<String>> done = new ArrayList<>();
            for (int i = 0; i < hashes; i++) {
                done.add(pool.submit(pw -> Passwords.hash(pw, rounds), "warm-up-" + i));
            }
            for (int i = 0; i < hashes; i++) {
                done.get(i).get();
                bar.update(0.8 * (i + 1) / hashes);
            }
            Duration half = Duration.ofMillis(Math.min(500, settings.duration().toMillis() / 2));
            LoadGenerator.Spec spec =
                    new LoadGenerator.Spec(server.port(), settings.clients(), settings.pingRate(), half, null);
            server.offloadTo(pool);
            LoadGenerator.run(spec, f -> bar.update(0.8 + f / 10));
            server.offloadTo(null);
            LoadGenerator.run(spec, f -> bar.update(0.9 + f / 10));
        }
        bar.finish(String.format(Locale.ROOT, "%,d hashes", hashes));
    }

    private static Mode measure(
            String name,
            Settings settings,
            ComputeServer server,
            EventLoop loop,
            WorkerPool pool,
            Duration faultInterval,
            PrintStream out)
            throws InterruptedException {
        ProgressBar bar = ProgressBar.start(out, name);
        server.offloadTo(pool);
        EventLoopUtilization before = loop.utilization();
        LoadGenerator.Result load = LoadGenerator.run(
                new LoadGenerator.Spec(
                        server.port(), settings.clients(), settings.pingRate(), settings.duration(), faultInterval),
                bar::update);
        EventLoopUtilization busy = loop.utilization().since(before);
        server.offloadTo(null);
        PoolStats stats = pool == null ? null : settled(pool, settings.workers());
        bar.finish(
                String.format(Locale.ROOT, "%,d pings, %,d hashes", load.ping().count(), load.computed()));
        return new Mode(name, load, busy, stats);
    }

    /**
     * Reads the pool's statistics once no task is queued or running and the pool is back at full size, so that a hung
     * task's abandonment (which follows its time limit by the grace period) and the last crash are counted (waits at
     * most 2 s).
     */
    private static PoolStats settled(WorkerPool pool, int workers) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        PoolStats stats = pool.stats();
        while ((stats.inFlight() > 0 || stats.busyWorkers() > 0 || stats.workers() < workers)
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
            stats = pool.stats();
        }
        return stats;
    }

    private static void printIntro(Settings s, int port, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "An HTTP server on one event-loop thread (127.0.0.1:%d, %d cores), under load from this process:%n"
                        + "  GET /ping     answers \"pong\"                 1 client, %d requests/s, each one timed%n"
                        + "  GET /compute  PBKDF2 hash, %,d rounds        %d clients, back to back%n"
                        + "Three modes of %s each: /compute inline on the loop; offloaded to %d workers; offloaded%n"
                        + "while one request every %d ms crashes or hangs its worker.%n%n",
                port,
                Runtime.getRuntime().availableProcessors(),
                s.pingRate(),
                s.rounds(),
                s.clients(),
                Table.seconds(s.duration()),
                s.workers(),
                FAULT_INTERVAL.toMillis());
    }

    /**
     * Prints the table and what it means.
     *
     * @param report the measurements
     * @param settings the settings they were taken with
     * @param out where to print
     */
    public static void print(Report report, Settings settings, PrintStream out) {
        List<Mode> modes = List.of(report.inline(), report.offloaded(), report.faults());
        out.println();
        out.println("                          /ping latency, send to response     /compute      loop");
        out.println("mode                          p50        p99        max       hashes/s      busy");
        for (Mode m : modes) {
            Latencies ping = m.load().ping();
            out.printf(
                    Locale.ROOT,
                    "%-24s %9s  %9s  %9s  %11.0f  %7.0f%%%n",
                    m.name(),
                    Table.millis(ping.percentile(50)),
                    Table.millis(ping.percentile(99)),
                    Table.millis(ping.max()),
                    m.load().computedPerSecond(),
                    100 * m.loop().utilization());
        }
        Duration inlineP99 = report.inline().load().ping().percentile(99);
        Duration offloadedP99 = report.offloaded().load().ping().percentile(99);
        out.printf(
                Locale.ROOT,
                "%noffloading: /ping p99 %s lower (%s -> %s), /compute %sx the throughput%n",
                Table.ratio(inlineP99.toNanos(), offloadedP99.toNanos()) + "x",
                Table.millis(inlineP99),
                Table.millis(offloadedP99),
                Table.ratio(
                        report.offloaded().load().computedPerSecond(),
                        report.inline().load().computedPerSecond()));
        out.println();
        out.println("pool                  tasks done    run p50    run p99   wait p50   wait p99   workers busy");
        for (Mode m : List.of(report.offloaded(), report.faults())) {
            PoolStats p = m.pool();
            out.printf(
                    Locale.ROOT,
                    "%-22s %10s %10s %10s %10s %10s %13.0f%%%n",
                    m.name(),
                    String.format(Locale.ROOT, "%,d", p.completed()),
                    Table.millis(p.runTime().p50()),
                    Table.millis(p.runTime().p99()),
                    Table.millis(p.waitTime().p50()),
                    Table.millis(p.waitTime().p99()),
                    100 * p.utilization());
        }
        out.println();
        printFaults(report, out);
        printLegend(settings, out);
    }

    private static void printFaults(Report report, PrintStream out) {
        PoolStats s = report.faults().pool();
        LoadGenerator.Result load = report.faults().load();
        out.printf(
                Locale.ROOT,
                "faults: %d requests crashed their worker (answered 500), %d hung past their %d ms limit (answered"
                        + " 504);%n"
                        + "        %d workers crashed and %d were abandoned, each replaced: the pool ended %s with %d"
                        + " workers.%n"
                        + "        Other requests that failed, in all three modes: %d.%n",
                load.crashes500(),
                load.hangs504(),
                TASK_TIMEOUT.toMillis(),
                s.workerCrashes(),
                s.workersAbandoned(),
                s.state(),
                s.workers(),
                report.inline().load().failures() + report.offloaded().load().failures() + load.failures());
        if (!report.logLines().isEmpty()) {
            List<String> lines = new ArrayList<>();
            report.logLines().forEach((what, n) -> lines.add(n + " " + what));
            out.printf(Locale.ROOT, "        Logged: %s.%n", String.join(", ", lines));
        }
    }

    private static void printLegend(Settings s, PrintStream out) {
        out.printf(
                Locale.ROOT,
                "%nReading it:%n"
                        + "- /ping latency is timed by the client: from writing the request to reading the whole"
                        + " response.%n"
                        + "  Inline, a ping waits on the loop behind the hashes already queued there (up to %d)."
                        + "%n"
                        + "- loop busy: the share of time the loop thread ran callbacks (EventLoop.utilization(), Node's"
                        + "%n"
                        + "  eventLoopUtilization). Offloaded, the loop only parses requests and writes answers.%n"
                        + "- run time: a worker computing one hash. wait time: a task waiting in the pool's queue for"
                        + " a free%n"
                        + "  worker. %d clients share %d workers, so a task waits about %s run time. A burst of 1,000"
                        + " tasks%n"
                        + "  would make the last one wait 1,000 / %d run times: queueing, not slowness.%n"
                        + "- faults: a crash is a StackOverflowError, which kills its worker; the pool replaces it."
                        + " A hang%n"
                        + "  ignores interrupts: its request gets 504 at the time limit and its worker is abandoned"
                        + " %d ms%n"
                        + "  later and replaced. Neither reaches the loop, /ping or the other clients.%n",
                s.clients(),
                s.clients(),
                s.workers(),
                s.clients() > s.workers() ? "one" : "no",
                s.workers(),
                GRACE.toMillis());
    }

    /**
     * Keeps the server up, offloaded, until the JVM is stopped (Ctrl-C): prints what to try with curl.
     *
     * @param settings pool size and cost
     * @param port the port
     * @param out where to print
     * @throws IOException if the port cannot be bound
     * @throws InterruptedException if interrupted while serving
     */
    static void serve(Settings settings, int port, PrintStream out) throws IOException, InterruptedException {
        Serving serving = Serving.start(settings, port);
        String base = "http://127.0.0.1:" + serving.port();
        out.printf(
                Locale.ROOT,
                "Serving on %s: one event loop, %d workers. Try:%n"
                        + "  curl %s/ping%n"
                        + "  curl '%s/compute?password=hunter2'%n"
                        + "  curl '%s/compute?fault=crash'    # the worker dies and is replaced: 500%n"
                        + "  curl '%s/compute?fault=hang'     # past its %d s limit: 504%n"
                        + "  curl %s/stats%n"
                        + "Ctrl-C stops it: a shutdown hook stops the server, then closes the loop and the pool.%n",
                base,
                settings.workers(),
                base,
                base,
                base,
                base,
                SERVE_TASK_TIMEOUT.toSeconds(),
                base);
        Runtime.getRuntime().addShutdownHook(new Thread(serving::close, "server-shutdown"));
        serving.closed.await();
    }

    /** A server kept up for curl, and what closes it in order. */
    static final class Serving implements AutoCloseable {
        private final EventLoop loop;
        private final WorkerPool pool;
        private final ComputeServer server;
        private final CountDownLatch closed = new CountDownLatch(1);

        private Serving(EventLoop loop, WorkerPool pool, ComputeServer server) {
            this.loop = loop;
            this.pool = pool;
            this.server = server;
        }

        static Serving start(Settings settings, int port) throws IOException {
            EventLoop loop = EventLoop.start("http-loop");
            WorkerPool pool = supervisedPool(settings.workers(), SERVE_TASK_TIMEOUT);
            try {
                ComputeServer server = ComputeServer.start(
                        loop, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), settings.rounds());
                server.offloadTo(pool);
                return new Serving(loop, pool, server);
            } catch (IOException | RuntimeException e) {
                pool.close(Duration.ofSeconds(5));
                loop.close();
                throw e;
            }
        }

        int port() {
            return server.port();
        }

        /** Stops taking requests, lets the loop answer what it started, then closes the pool. */
        @Override
        public void close() {
            server.close();
            loop.close(Duration.ofSeconds(5));
            pool.close(Duration.ofSeconds(5));
            closed.countDown();
        }
    }
}
