package dev.offload.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExamplesTest {
    @Test
    void find_byShortNameClassNameOrSimpleName() {
        assertEquals("mandelbrot", Examples.find("mandelbrot").orElseThrow().name());
        assertEquals("mandelbrot", Examples.find("MANDELBROT").orElseThrow().name());
        assertEquals(
                "quickstart",
                Examples.find("dev.offload.examples.QuickStart").orElseThrow().name());
        assertEquals("counter", Examples.find("SharedCounter").orElseThrow().name());
        assertTrue(Examples.find("mandlebrot").isEmpty());
    }

    @Test
    void theDefault_isTheServer() {
        assertEquals("server", Examples.ALL.getFirst().name());
    }

    @Test
    void unknownName_listsEveryExample_andSuggestsTheClosest() {
        String message = Examples.unknown("mandlebrot");

        assertTrue(message.startsWith("No example is called \"mandlebrot\". Did you mean \"mandelbrot\"?\n"), message);
        for (Examples.Example e : Examples.ALL) {
            assertTrue(message.contains("\n  " + e.name() + " "), e.name() + " missing from: " + message);
        }
    }

    @Test
    void unknownName_farFromEveryExample_suggestsNone() {
        assertFalse(Examples.unknown("zzzzzzzzzzzz").contains("Did you mean"));
    }

    @Test
    void everyExample_hasATest() {
        List<String> missing = new ArrayList<>();
        for (Examples.Example e : Examples.ALL) {
            try {
                Class.forName(e.type().getName() + "Test");
            } catch (ClassNotFoundException notFound) {
                missing.add(e.type().getName() + "Test");
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void launcher_givenAMistypedName_printsTheValidOnesFirst_andExitsWith2() throws Exception {
        Process process = launch("mandlebrot");
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher did not exit");
        assertEquals(2, process.exitValue());
        assertTrue(err.startsWith("No example is called \"mandlebrot\". Did you mean \"mandelbrot\"?"), err);
    }

    @Test
    void launcher_givenAMistypedOption_printsTheOptions_andExitsWith2() throws Exception {
        Process process = launch("server", "--wokers 3");
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the launcher did not exit");
        assertEquals(2, process.exitValue());
        assertTrue(err.startsWith("server: unknown option: option=--wokers\n"), err);
        assertTrue(err.contains("--workers"), err);
    }

    /** Runs the launcher in a JVM of its own, as {@code exec:exec} does. */
    private static Process launch(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current()
                        .info()
                        .command()
                        .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                                .toString()),
                "-cp",
                System.getProperty("java.class.path"),
                Examples.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
    }
}
