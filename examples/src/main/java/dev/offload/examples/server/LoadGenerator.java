package dev.offload.examples.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleConsumer;

/**
 * Drives the server over loopback during one mode: clients that call {@code /compute} back to back, one client that
 * calls {@code /ping} at a steady rate and times each call, and optionally one that sends a faulty request at a fixed
 * interval, alternating a crash and a hang.
 *
 * <p>Each client is a platform thread with its own keep-alive connection; a client keeps its own counters, which
 * the caller reads after joining it.
 */
final class LoadGenerator {
    /** What to send for how long. */
    record Spec(int port, int computeClients, int pingRate, Duration duration, Duration faultInterval) {
        boolean faults() {
            return faultInterval != null;
        }
    }

    /**
     * What the clients saw.
     *
     * @param ping the {@code /ping} latencies, from writing the request to reading the whole response
     * @param computed {@code /compute} requests answered 200 before the end of the run
     * @param failures requests answered otherwise than expected (a ping or a hash not 200, a crash not 500, a hang not
     *     504) or that failed on the connection
     * @param crashes500 fault requests that crashed their worker and were answered 500
     * @param hangs504 fault requests that passed their time limit and were answered 504
     * @param elapsed how long the run lasted
     */
    record Result(Latencies ping, long computed, long failures, int crashes500, int hangs504, Duration elapsed) {
        double computedPerSecond() {
            return computed / (elapsed.toNanos() / 1e9);
        }
    }

    private volatile boolean stop;
    private volatile long deadline;

    private LoadGenerator() {}

    /**
     * Runs the clients for {@code spec.duration()}, reporting progress between 0 and 1 as time passes.
     *
     * @param spec what to send
     * @param progress receives the fraction of the run done, on the calling thread
     * @return what the clients saw
     * @throws InterruptedException if interrupted while waiting for the clients
     */
    static Result run(Spec spec, DoubleConsumer progress) throws InterruptedException {
        return new LoadGenerator().drive(spec, progress);
    }

    private Result drive(Spec spec, DoubleConsumer progress) throws InterruptedException {
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < spec.computeClients(); i++) {
            clients.add(new ComputeClient(spec.port(), i));
        }
        PingClient ping = new PingClient(spec.port(), spec.pingRate());
        clients.add(ping);
        FaultClient faults = spec.faults() ? new FaultClient(spec.port(), spec.faultInterval()) : null;
        if (faults != null) {
            clients.add(faults);
        }
        CountDownLatch ready = new CountDownLatch(clients.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (Client c : clients) {
            threads.add(Thread.ofPlatform().name("load-" + c.name()).daemon().start(() -> c.run(ready, go)));
        }
        ready.await(10, TimeUnit.SECONDS); // connected: the run times requests, not connects
        long start = System.nanoTime();
        deadline = start + spec.duration().toNanos();
        go.countDown();
        for (long now = start; now < deadline; now = System.nanoTime()) {
            progress.accept((double) (now - start) / spec.duration().toNanos());
            LockSupport.parkNanos(Math.min(100_000_000L, deadline - now));
        }
        stop = true;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        progress.accept(1.0);
        for (Thread t : threads) {
            if (!t.join(Duration.ofSeconds(15))) {
                throw new IllegalStateException("load client did not stop: thread=" + t.getName());
            }
        }
        long computed = 0;
        long failures = 0;
        for (Client c : clients) {
            failures += c.failures;
            if (c instanceof ComputeClient compute) {
                computed += compute.answered;
            }
        }
        return new Result(
                ping.latencies,
                computed,
                failures,
                faults == null ? 0 : faults.crashes500,
                faults == null ? 0 : faults.hangs504,
                elapsed);
    }

    /** One connection and the loop that drives it. */
    private abstract class Client {
        private final int port;
        private final String name;
        long failures;

        Client(int port, String name) {
            this.port = port;
            this.name = name;
        }

        String name() {
            return name;
        }

        void run(CountDownLatch ready, CountDownLatch go) {
            HttpLoadClient http = null;
            try {
                http = new HttpLoadClient(port);
                ready.countDown();
                go.await();
                while (!stop) {
                    try {
                        step(http);
                    } catch (IOException e) {
                        failures++;
                        http.close();
                        http = new HttpLoadClient(port); // the server closed the connection: open another
                    }
                }
            } catch (IOException | InterruptedException e) {
                failures++;
                ready.countDown();
            } finally {
                if (http != null) {
                    try {
                        http.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                }
            }
        }

        abstract void step(HttpLoadClient http) throws IOException;
    }

    /** Calls {@code /compute} back to back, each time with another password. */
    private final class ComputeClient extends Client {
        private final int id;
        private long sent;
        long answered;

        ComputeClient(int port, int id) {
            super(port, "compute-" + id);
            this.id = id;
        }

        @Override
        void step(HttpLoadClient http) throws IOException {
            int status = http.get("/compute?password=user-" + id + "-" + sent++);
            if (status != 200) {
                failures++;
            } else if (System.nanoTime() <= deadline) {
                answered++;
            }
        }
    }

    /** Calls {@code /ping} at a steady rate and times each call; a late call goes out at once, without a burst. */
    private final class PingClient extends Client {
        private final long periodNanos;
        private long next;
        final Latencies latencies = new Latencies();

        PingClient(int port, int rate) {
            super(port, "ping");
            this.periodNanos = 1_000_000_000L / rate;
        }

        @Override
        void step(HttpLoadClient http) throws IOException {
            long now = System.nanoTime();
            if (next == 0) {
                next = now;
            }
            if (now < next) {
                LockSupport.parkNanos(next - now);
            }
            long sent = System.nanoTime();
            int status = http.get("/ping");
            long done = System.nanoTime();
            if (status != 200) {
                failures++;
            } else if (done <= deadline) {
                latencies.record(done - sent);
            }
            next = Math.max(next + periodNanos, done);
        }
    }

    /** Sends {@code /compute?fault=crash}, then {@code fault=hang}, and so on, one per interval. */
    private final class FaultClient extends Client {
        private final long intervalNanos;
        private long next;
        private int sent;
        int crashes500;
        int hangs504;

        FaultClient(int port, Duration interval) {
            super(port, "faults");
            this.intervalNanos = interval.toNanos();
        }

        @Override
        void step(HttpLoadClient http) throws IOException {
            long now = System.nanoTime();
            if (next == 0) {
                next = now + intervalNanos / 2;
            }
            if (now < next) {
                LockSupport.parkNanos(next - now);
                return; // look at the stop flag again before sending
            }
            next += intervalNanos;
            boolean crash = sent++ % 2 == 0;
            int status = http.get("/compute?fault=" + (crash ? "crash" : "hang"));
            if (crash && status == 500) {
                crashes500++;
            } else if (!crash && status == 504) {
                hangs504++;
            } else {
                failures++;
            }
        }
    }
}
