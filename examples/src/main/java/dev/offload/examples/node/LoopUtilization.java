package dev.offload.examples.node;

import dev.offload.EventLoop;
import dev.offload.EventLoopUtilization;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Node's {@code performance.eventLoopUtilization()} (also {@code worker.performance.eventLoopUtilization()}): the
 * share of time a loop spends running callbacks rather than waiting. The documentation's example keeps a loop busy
 * with a callback that spins for a while and queues itself again ({@code setImmediate}), a few times over, and reads
 * the utilization meanwhile. Here the same on an {@link EventLoop}, then the same loop idle, each interval measured
 * with {@link EventLoopUtilization#since}.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=loop-utilization}
 */
public final class LoopUtilization {
    private LoopUtilization() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while the loop is idle
     */
    public static void main(String[] args) throws InterruptedException {
        run(5, Duration.ofMillis(100), System.out);
    }

    /**
     * Keeps a loop busy, then idle, and prints its utilization in each interval.
     *
     * @param spins how many busy callbacks
     * @param spin how long each one spins
     * @param out where to print
     * @return the utilization while busy and while idle
     * @throws InterruptedException if interrupted while the loop is idle
     */
    public static EventLoopUtilization[] run(int spins, Duration spin, PrintStream out) throws InterruptedException {
        try (EventLoop loop = EventLoop.start("busy-loop")) {
            EventLoopUtilization start = loop.utilization();
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> spinAndRequeue(loop, spins, spin, done));
            done.join();
            EventLoopUtilization busy = loop.utilization().since(start);

            EventLoopUtilization idleStart = loop.utilization();
            Thread.sleep(spin.multipliedBy(spins)); // the loop has nothing to do
            EventLoopUtilization idle = loop.utilization().since(idleStart);

            out.printf(
                    Locale.ROOT,
                    "%d callbacks spinning %d ms each: utilization %.2f (active %d ms, idle %d ms)%n",
                    spins,
                    spin.toMillis(),
                    busy.utilization(),
                    busy.active().toMillis(),
                    busy.idle().toMillis());
            out.printf(
                    Locale.ROOT,
                    "then nothing to do:             utilization %.2f (active %d ms, idle %d ms)%n",
                    idle.utilization(),
                    idle.active().toMillis(),
                    idle.idle().toMillis());
            return new EventLoopUtilization[] {busy, idle};
        }
    }

    /** Spins, then queues itself again, like the documentation's {@code setImmediate(r, n)}. Loop thread only. */
    private static void spinAndRequeue(EventLoop loop, int left, Duration spin, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        long end = System.nanoTime() + spin.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait(); // what blocking the loop looks like
        }
        loop.execute(() -> spinAndRequeue(loop, left - 1, spin, done));
    }
}
