package dev.offload.examples;

import dev.offload.shm.Atomics;
import dev.offload.shm.IntArray;
import dev.offload.shm.SharedBuffer;

/**
 * {@link SharedBuffer} and {@link Atomics}, the JVM's {@code SharedArrayBuffer} and {@code Atomics}: two threads hand
 * a counter back and forth with {@code wait}/{@code notify} (the README's snippet, between the region markers), then
 * add to it a million times each and lose no increment.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=counter}
 */
public final class SharedCounter {
    private SharedCounter() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        // region shared-memory
        IntArray counter = SharedBuffer.allocate(Integer.BYTES).asIntArray(); // one int, zeroed
        Thread.ofPlatform().start(() -> {
            try {
                Atomics.wait(counter, 0, 0); // sleeps while the value is 0
            } catch (InterruptedException e) {
                return;
            }
            Atomics.add(counter, 0, 1); // 1 -> 2
            Atomics.notify(counter, 0); // wakes main
        });
        Atomics.add(counter, 0, 1); // 0 -> 1
        Atomics.notify(counter, 0); // wakes the other thread
        Atomics.wait(counter, 0, 1); // sleeps while the value is 1
        System.out.println("after the hand-off: " + Atomics.load(counter, 0)); // 2
        // endregion

        Runnable addMillion = () -> {
            for (int i = 0; i < 1_000_000; i++) {
                Atomics.add(counter, 0, 1);
            }
        };
        Thread a = Thread.ofPlatform().start(addMillion);
        Thread b = Thread.ofPlatform().start(addMillion);
        a.join();
        b.join();
        System.out.println(
                "after two threads added 1,000,000 each: " + Atomics.load(counter, 0) + " (expected 2000002)");
    }
}
