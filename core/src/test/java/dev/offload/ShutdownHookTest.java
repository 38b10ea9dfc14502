package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ShutdownHookTest {
    @Test
    void shutdownHook_closesThePoolGracefully_whenTheJvmExits() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(
                        java, "-cp", System.getProperty("java.class.path"), ShutdownHookChild.class.getName())
                .redirectErrorStream(true)
                .start();
        if (!child.waitFor(Await.SECONDS, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new AssertionError("the child JVM did not exit within " + Await.SECONDS + " s");
        }
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(0, child.exitValue(), out);
        assertTrue(lines.contains("exiting") && lines.contains("task finished"), "the task did not finish: " + out);
    }
}
