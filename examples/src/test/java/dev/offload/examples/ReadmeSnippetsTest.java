package dev.offload.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README shows no code that does not compile: every {@code java} block in {@code README.md} and {@code docs/} is
 * a region of a compiled example, between {@code // region NAME} and {@code // endregion}, word for word (indentation
 * aside). To change a snippet, change the example, run it, and paste the region.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("..");
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern JAVA_BLOCK = Pattern.compile("(?m)^```java\\n(.*?)^```$", Pattern.DOTALL);
    private static final Pattern REGION = Pattern.compile("^\\s*// region (\\S+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// endregion\\s*$");

    @Test
    void everyJavaBlockInTheDocs_isARegionOfACompiledExample() throws IOException {
        Map<String, String> regions = regions();
        List<String> problems = new ArrayList<>();
        for (Path doc : docs()) {
            Matcher block = JAVA_BLOCK.matcher(Files.readString(doc));
            while (block.find()) {
                String code = dedent(block.group(1));
                if (!regions.containsValue(code)) {
                    problems.add(doc.normalize() + ", the block starting \""
                            + code.lines().findFirst().orElse("") + "\": no example region matches it. Regions: "
                            + regions.keySet());
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void quickStart_isTheQuickstartRegion_inSixLinesAtMost() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int section = readme.indexOf("\n## Quick start\n");
        assertTrue(section >= 0, "README.md has no \"## Quick start\" section");
        Matcher block = JAVA_BLOCK.matcher(readme);
        assertTrue(block.find(section), "the quick start has no java block");
        String code = dedent(block.group(1));

        assertEquals(regions().get("QuickStart.java#quickstart"), code);
        assertTrue(code.lines().count() <= 6, "the quick start is longer than 6 lines:\n" + code);
    }

    @Test
    void dedent_removesTheCommonIndentation() {
        assertEquals("a();\n    b();\n", dedent("        a();\n            b();\n"));
    }

    private static List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        Path dir = ROOT.resolve("docs");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
            }
        }
        return docs;
    }

    /** Every {@code // region NAME} of the examples' sources, keyed {@code File.java#NAME}, dedented. */
    private static Map<String, String> regions() throws IOException {
        Map<String, String> regions = new LinkedHashMap<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            String name = null;
            StringBuilder body = new StringBuilder();
            for (String line : Files.readAllLines(source)) {
                Matcher start = REGION.matcher(line);
                if (name == null && start.matches()) {
                    name = source.getFileName() + "#" + start.group(1);
                    body.setLength(0);
                } else if (name != null && END.matcher(line).matches()) {
                    regions.put(name, dedent(body.toString()));
                    name = null;
                } else if (name != null) {
                    body.append(line).append('\n');
                }
            }
            assertTrue(name == null, source + ": region " + name + " has no // endregion");
        }
        assertTrue(!regions.isEmpty(), "no region found under " + SOURCES.toAbsolutePath());
        return regions;
    }

    /** Removes the indentation common to every non-blank line and trailing spaces. */
    static String dedent(String text) {
        List<String> lines = text.lines().map(String::stripTrailing).toList();
        int indent = lines.stream()
                .filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length())
                .min()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }
}
