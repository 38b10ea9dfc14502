package dev.offload.examples;

import dev.offload.shm.SharedBuffer;

/** Two threads add to one counter in a {@link SharedBuffer}; the total is exact. */
public final class QuickStart {
    private QuickStart() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws InterruptedException if interrupted while joining
     */
    public static void main(String[] args) throws InterruptedException {
        SharedBuffer counter = SharedBuffer.allocate(8);
        Runnable add = () -> {
            for (int i = 0; i < 1_000_000; i++) {
                counter.asIntArray().getAndAdd(0, 1);
            }
        };
        Thread a = Thread.ofPlatform().start(add);
        Thread b = Thread.ofPlatform().start(add);
        a.join();
        b.join();
        System.out.println("counter = " + counter.asIntArray().getVolatile(0) + " (expected 2000000)");
    }
}
