package dev.offload.examples.server;

import java.time.Duration;

/**
 * Tasks that misbehave on purpose, to show what the pool's supervision does with them. Worker thread only.
 */
final class Faults {
    /** How long {@link #ignoreInterrupts} keeps its worker: longer than the time limits plus the grace period. */
    static final Duration HANG = Duration.ofSeconds(3);

    private Faults() {}

    /**
     * Recurses until the worker's stack overflows: a {@link StackOverflowError} is a {@link VirtualMachineError}, so
     * the pool treats the worker as dead, fails this task with {@code WorkerCrashedException} and starts another.
     *
     * @param input ignored
     * @return never
     */
    static String overflowStack(String input) {
        return input + depth(0);
    }

    private static int depth(int n) {
        return depth(n + 1) + 1;
    }

    /**
     * Sleeps for {@link #HANG} and swallows every interrupt, like a call into a library that ignores them: the pool's
     * time limit fails the task's future at once, and the worker, still stuck past the grace period, is abandoned and
     * replaced. The thread ends by itself later.
     *
     * @param input returned, too late to matter
     * @return {@code input}
     */
    static String ignoreInterrupts(String input) {
        long end = System.nanoTime() + HANG.toNanos();
        for (long left = HANG.toNanos(); left > 0; left = end - System.nanoTime()) {
            try {
                Thread.sleep(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                // the bug on show: the interrupt is swallowed and the task keeps going
            }
        }
        return input;
    }
}
