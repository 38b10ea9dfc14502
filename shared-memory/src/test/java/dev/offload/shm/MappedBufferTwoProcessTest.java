package dev.offload.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedBufferTwoProcessTest {
    private static final int ADDS = 500_000;

    @Test
    void getAndAdd_twoProcessesOneMappedFile_totalIsExact(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("counter.bin");
        try (SharedBuffer buffer = SharedBuffer.map(file, 16)) {
            IntArray cells = buffer.asIntArray();
            Process child = startChild(file, dir);
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (Atomics.load(cells, 1) == 0) { // child mapped the file and is about to add
                    if (System.nanoTime() > deadline || !child.isAlive()) {
                        fail("child process did not start adding within 60 s; alive=" + child.isAlive());
                    }
                    Thread.sleep(1);
                }
                for (int i = 0; i < ADDS; i++) {
                    cells.getAndAdd(0, 1);
                }
                Atomics.store(cells, 2, 1);
                Atomics.notify(cells, 2); // reaches waiters in this process only; the child polls
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child process did not exit within 60 s");
                assertEquals(0, child.exitValue(), "child exit code (3: its wait on the flag timed out)");
                assertEquals(2 * ADDS, cells.getVolatile(0), "lost updates across processes");
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static Process startChild(Path file, Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(MappedCounterChild.class.getName(), file.toString(), Integer.toString(ADDS)));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }
}
