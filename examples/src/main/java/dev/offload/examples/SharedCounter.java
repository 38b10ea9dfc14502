package dev.offload.examples;

import dev.offload.shm.IntArray;
import dev.offload.shm.SharedBuffer;

/**
 * Two threads add to one counter in a {@link SharedBuffer}; the total is exact.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=dev.offload.examples.SharedCounter}
 */
public final class SharedCounter {
    private SharedCounter() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        IntArray counter = SharedBuffer.allocate(8).asIntArray();
        Runnable add = () -> {
            for (int i = 0; i < 1_000_000; i++) {
                counter.getAndAdd(0, 1);
            }
        };
        Thread a = Thread.ofPlatform().start(add);
        Thread b = Thread.ofPlatform().start(add);
        a.join();
        b.join();
        System.out.println("counter = " + counter.getVolatile(0) + " (expected 2000000)");
    }
}
