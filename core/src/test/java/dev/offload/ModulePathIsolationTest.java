package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The isolation rules as JPMS users run them: offload and a user module, both named, in a module layer of their own.
 * The test compiles the user module at test time and runs it.
 */
class ModulePathIsolationTest {
    private static final String MODULE_INFO = """
            module probe.mod {
                requires dev.offload;
                exports probe.api;
                opens probe.opened to dev.offload;
            }
            """;

    private static final String EXPORTED = """
            package probe.api;
            public record Samples(String name, double[] values) {}
            """;

    private static final String OPENED = """
            package probe.opened;
            public record Opened(int[] values) {}
            """;

    private static final String HIDDEN = """
            package probe.hidden;
            public record Hidden(int[] values) {}
            """;

    private static final String MAIN = """
            package probe.api;

            import dev.offload.WorkerPool;
            import java.util.concurrent.TimeUnit;

            public final class Main {
                public static String run() throws Exception {
                    StringBuilder out = new StringBuilder();
                    try (WorkerPool pool = WorkerPool.create(1)) {
                        out.append("exported=").append(pool.submit((Samples s) -> s.values().length,
                                new Samples("a", new double[] {1, 2})).get(10, TimeUnit.SECONDS));
                        out.append(";opened=").append(pool.submit((probe.opened.Opened o) -> o.values()[1],
                                new probe.opened.Opened(new int[] {3, 4})).get(10, TimeUnit.SECONDS));
                        try {
                            pool.submit((probe.hidden.Hidden h) -> 0, new probe.hidden.Hidden(new int[] {5}));
                            out.append(";hidden=accepted");
                        } catch (IllegalArgumentException e) {
                            out.append(";hidden=refused:").append(e.getMessage());
                        }
                    }
                    return out.toString();
                }
            }
            """;

    @Test
    void recordsWithMutableComponents_inANamedModule_crossWhenExportedOrOpened_elseTheFixIsRight(@TempDir Path dir)
            throws Exception {
        List<Path> modulePath = offloadModulePath();
        Path src = dir.resolve("src/probe.mod");
        write(src.resolve("module-info.java"), MODULE_INFO);
        write(src.resolve("probe/api/Samples.java"), EXPORTED);
        write(src.resolve("probe/api/Main.java"), MAIN);
        write(src.resolve("probe/opened/Opened.java"), OPENED);
        write(src.resolve("probe/hidden/Hidden.java"), HIDDEN);
        Path out = dir.resolve("out");
        compile(dir.resolve("src"), out, modulePath);

        List<Path> all = new ArrayList<>(modulePath);
        all.add(out.resolve("probe.mod"));
        ModuleFinder finder = ModuleFinder.of(all.toArray(new Path[0]));
        Configuration config =
                ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of("probe.mod"));
        ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(config, ClassLoader.getPlatformClassLoader());
        Module offload = layer.findModule("dev.offload").orElseThrow();
        assertTrue(offload.isNamed(), "offload is not a named module in the layer");

        Class<?> main = layer.findLoader("probe.mod").loadClass("probe.api.Main");
        String result = (String) main.getMethod("run").invoke(null);

        String[] parts = result.split(";", 3);
        assertEquals("exported=2", parts[0], result);
        assertEquals("opened=4", parts[1], result);
        assertTrue(parts[2].startsWith("hidden=refused:"), result);
        assertTrue(
                parts[2].contains("add `opens probe.hidden to dev.offload;` to module probe.mod's module-info"),
                "the fix the message gives is not the one that works: " + parts[2]);
    }

    /** offload's own modules and their dependencies, as built: the classes folders and the dependency jars. */
    private static List<Path> offloadModulePath() {
        List<Path> path = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String s = p.toString().replace('\\', '/');
            boolean ownClasses = s.endsWith("core/target/classes")
                    || s.endsWith("shared-memory/target/classes")
                    || s.matches(".*/offload-shared-memory-[^/]*\\.jar");
            boolean dependency = s.contains("jctools");
            if (ownClasses || dependency) {
                path.add(p);
            }
        }
        assertTrue(path.size() >= 3, "offload's module path not found on the test class path: " + path);
        return path;
    }

    private static void compile(Path sourceRoot, Path out, List<Path> modulePath) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no Java compiler in this JDK");
        StringWriter errors = new StringWriter();
        List<String> args = new ArrayList<>(List.of(
                "-d",
                out.toString(),
                "--module-source-path",
                sourceRoot.toString(),
                "--module-path",
                String.join(
                        File.pathSeparator,
                        modulePath.stream().map(Path::toString).toList()),
                "-m",
                "probe.mod"));
        boolean ok = javac.getTask(errors, null, null, args, null, null).call();
        assertTrue(ok, "the probe module does not compile: " + errors);
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
