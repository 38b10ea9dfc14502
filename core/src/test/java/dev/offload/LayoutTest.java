package dev.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, read from its own sources as a reviewer would: the role packages under
 * {@code dev.offload.internal} are layers, and a package may use only the ones below it (an upward call goes through
 * an interface the lower package owns); no type depends, through any chain, on a type of another package that depends
 * back on it; and every package says in its {@code package-info.java} which thread runs its code.
 */
class LayoutTest {
    private static final Path SOURCES = Path.of("src/main/java");

    /** The role packages, top to bottom: each may use the ones after it, never one before it. */
    static final List<String> LAYERS = List.of(
            "dev.offload.internal.pool",
            "dev.offload.internal.supervise",
            "dev.offload.internal.worker",
            "dev.offload.internal.message",
            "dev.offload.internal.loop",
            "dev.offload.internal.control",
            "dev.offload.internal.dispatch",
            "dev.offload.internal.idle",
            "dev.offload.internal.clone",
            "dev.offload.internal.task",
            "dev.offload.internal.base");

    private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern IMPORT =
            Pattern.compile("^import (?:static )?(dev\\.offload[\\w.]*)\\.(\\w+)(?:\\.\\w+)*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(dev\\.offload(?:\\.[a-z]\\w*)*)\\.([A-Z]\\w*)");

    @Test
    void rolePackages_importOnlyDownwards() throws IOException {
        List<String> wrong = layerViolations(read(SOURCES));
        assertTrue(
                wrong.isEmpty(), "imports that point up the layers " + LAYERS + ":\n  " + String.join("\n  ", wrong));
    }

    @Test
    void noTypeCycle_spansTwoPackages() throws IOException {
        List<Set<String>> cycles = crossPackageCycles(read(SOURCES));
        assertTrue(cycles.isEmpty(), "types that depend on each other across packages: " + cycles);
    }

    @Test
    void everyPackage_isALayerWithAThreadingNote() throws IOException {
        Map<String, SourceFile> files = read(SOURCES);
        Set<String> packages = new TreeSet<>();
        for (SourceFile f : files.values()) {
            packages.add(f.pkg);
        }
        for (String pkg : packages) {
            if (pkg.startsWith("dev.offload.internal")) {
                assertTrue(LAYERS.contains(pkg), "package " + pkg + " is not in LayoutTest.LAYERS: place it there");
            }
            Path info = SOURCES.resolve(pkg.replace('.', '/')).resolve("package-info.java");
            assertTrue(Files.exists(info), "package " + pkg + " has no package-info.java");
            String text = Files.readString(info);
            assertTrue(
                    text.contains("Threading:") || text.contains("Thread"),
                    "package-info of " + pkg + " does not say which thread runs its code");
        }
    }

    /** The checks above would see a violation: an upward import and a cycle across two packages, made up here. */
    @Test
    void checks_seeWhatTheyForbid() {
        Map<String, SourceFile> made = new LinkedHashMap<>();
        add(
                made,
                "dev.offload.internal.task",
                "Record",
                "import dev.offload.internal.pool.Core;\nclass Record { Core c; }");
        add(
                made,
                "dev.offload.internal.pool",
                "Core",
                "import dev.offload.internal.task.Record;\nclass Core { Record r; }");
        add(made, "dev.offload.internal.task", "Leaf", "class Leaf {}");
        List<String> wrong = layerViolations(made);
        assertEquals(1, wrong.size(), "upward imports found: " + wrong);
        assertTrue(wrong.get(0).contains("Record") && wrong.get(0).contains("internal.pool.Core"), wrong.get(0));
        List<Set<String>> cycles = crossPackageCycles(made);
        assertEquals(
                List.of(Set.of("dev.offload.internal.task.Record", "dev.offload.internal.pool.Core")),
                cycles,
                "cycles found");
    }

    private static void add(Map<String, SourceFile> files, String pkg, String name, String body) {
        String text = "package " + pkg + ";\n" + body;
        files.put(pkg + "." + name, new SourceFile(pkg, name, text, strip(text)));
    }

    // ---- the checks ----

    private static List<String> layerViolations(Map<String, SourceFile> files) {
        List<String> wrong = new ArrayList<>();
        for (SourceFile f : files.values()) {
            int from = LAYERS.indexOf(f.pkg);
            if (from < 0) {
                continue; // the API sits above every layer
            }
            Matcher m = IMPORT.matcher(f.text);
            while (m.find()) {
                String pkg = m.group(1);
                int to = LAYERS.indexOf(pkg);
                if (to >= 0 && to < from) {
                    wrong.add(f.pkg + "." + f.name + " imports " + pkg + "." + m.group(2));
                }
            }
        }
        return wrong;
    }

    private static List<Set<String>> crossPackageCycles(Map<String, SourceFile> files) {
        Map<String, Set<String>> edges = dependencies(files);
        List<Set<String>> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(edges)) {
            Set<String> packages = new TreeSet<>();
            for (String type : component) {
                packages.add(files.get(type).pkg);
            }
            if (packages.size() > 1) {
                cycles.add(component);
            }
        }
        return cycles;
    }

    /** Type to the types it names: imported or fully qualified ones of the project, and those of its own package. */
    private static Map<String, Set<String>> dependencies(Map<String, SourceFile> files) {
        Map<String, List<SourceFile>> byPackage = new HashMap<>();
        for (SourceFile f : files.values()) {
            byPackage.computeIfAbsent(f.pkg, k -> new ArrayList<>()).add(f);
        }
        Map<String, Set<String>> edges = new LinkedHashMap<>();
        for (SourceFile f : files.values()) {
            Set<String> out = new LinkedHashSet<>();
            Matcher m = IMPORT.matcher(f.text);
            while (m.find()) {
                out.add(m.group(1) + "." + m.group(2));
            }
            Matcher q = QUALIFIED.matcher(f.code);
            while (q.find()) {
                out.add(q.group(1) + "." + q.group(2));
            }
            for (SourceFile other : byPackage.get(f.pkg)) {
                if (other != f
                        && Pattern.compile("\\b" + other.name + "\\b")
                                .matcher(f.code)
                                .find()) {
                    out.add(other.pkg + "." + other.name);
                }
            }
            out.retainAll(files.keySet());
            out.remove(f.pkg + "." + f.name);
            edges.put(f.pkg + "." + f.name, out);
        }
        return edges;
    }

    /** Tarjan's algorithm, without recursion; returns the components of more than one type. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new LinkedHashSet<>();
        List<Set<String>> components = new ArrayList<>();
        int[] counter = {0};
        for (String root : edges.keySet()) {
            if (index.containsKey(root)) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {root, new ArrayList<>(edges.get(root)).iterator()});
            index.put(root, counter[0]);
            low.put(root, counter[0]++);
            stack.push(root);
            onStack.add(root);
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                String v = (String) frame[0];
                @SuppressWarnings("unchecked")
                java.util.Iterator<String> it = (java.util.Iterator<String>) frame[1];
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, new ArrayList<>(edges.get(w)).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = (String) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new LinkedHashSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    if (component.size() > 1) {
                        components.add(component);
                    }
                }
            }
        }
        return components;
    }

    // ---- reading the sources ----

    private record SourceFile(String pkg, String name, String text, String code) {}

    private static Map<String, SourceFile> read(Path root) throws IOException {
        Map<String, SourceFile> files = new LinkedHashMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p :
                    paths.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                String fileName = p.getFileName().toString();
                if (fileName.equals("package-info.java") || fileName.equals("module-info.java")) {
                    continue;
                }
                String text = Files.readString(p);
                Matcher m = PACKAGE.matcher(text);
                assertTrue(m.find(), "no package declaration in " + p);
                String name = fileName.substring(0, fileName.length() - ".java".length());
                files.put(m.group(1) + "." + name, new SourceFile(m.group(1), name, text, strip(text)));
            }
        }
        assertTrue(files.size() > 20, "read only " + files.size() + " source files under " + root.toAbsolutePath());
        return files;
    }

    /** The code without comments, string literals and import lines: what a type names in its declarations. */
    private static String strip(String text) {
        String code = text.replaceAll("(?s)/\\*.*?\\*/", " ");
        code = code.replaceAll("//[^\\n]*", " ");
        code = code.replaceAll("\"(\\\\.|[^\"\\\\\\n])*\"", "\"\"");
        return code.replaceAll("(?m)^(import|package) .*$", " ");
    }
}
