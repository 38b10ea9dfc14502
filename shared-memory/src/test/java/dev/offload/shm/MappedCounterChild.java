package dev.offload.shm;

import java.nio.file.Path;
import java.time.Duration;

/** Child process of {@link MappedBufferTwoProcessTest}: adds to a counter in a mapped file, then waits for a flag. */
public final class MappedCounterChild {
    private MappedCounterChild() {}

    /**
     * Runs the child.
     *
     * @param args the file and the number of additions
     * @throws InterruptedException if interrupted while waiting
     */
    public static void main(String[] args) throws InterruptedException {
        int adds = Integer.parseInt(args[1]);
        try (SharedBuffer buffer = SharedBuffer.map(Path.of(args[0]), 16)) {
            IntArray cells = buffer.asIntArray();
            Atomics.add(cells, 1, 1); // ready
            for (int i = 0; i < adds; i++) {
                cells.getAndAdd(0, 1);
            }
            WaitResult flag = Atomics.wait(cells, 2, 0, Duration.ofSeconds(60));
            System.exit(flag == WaitResult.TIMED_OUT ? 3 : 0);
        }
    }
}
