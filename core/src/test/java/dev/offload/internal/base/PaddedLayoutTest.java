package dev.offload.internal.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every padded class of the core (every class that extends {@link L1Pad}) follows the one padding idiom and really is
 * padded: its fields sit at least 128 bytes from both ends of its object, measured on the JVM, not inferred from field
 * order. The offsets come from a child JVM ({@link FieldOffsets}); this JVM runs with {@code sun.misc.Unsafe} denied.
 */
class PaddedLayoutTest {
    private static final int PAD = 128;

    /** One instance field of a padded class, where the JVM put it. */
    record Slot(String declaringClass, String field, long offset, int size) {
        long end() {
            return offset + size;
        }

        boolean isPad() {
            return declaringClass.equals(L1Pad.class.getName()) || declaringClass.endsWith("L2Pad");
        }
    }

    @Test
    void everyPaddedClass_followsTheChain_andKeepsItsFields128BytesFromBothEnds() throws Exception {
        List<Class<?>> padded = paddedClassesOfTheCore();
        assertTrue(padded.size() >= 9, "expected the core's padded classes (at least 9), found " + padded);
        List<String> wrong = new ArrayList<>();
        for (Class<?> c : padded) {
            wrong.addAll(chainViolations(c));
        }
        Map<String, List<Slot>> layouts =
                layoutsOf(padded.stream().map(Class::getName).toList());
        layouts.forEach((name, slots) -> wrong.addAll(layoutViolations(name, slots)));
        assertTrue(wrong.isEmpty(), "padding broken:\n  " + String.join("\n  ", wrong));
    }

    @Test
    void checks_findWhatTheyGuard() throws Exception {
        assertEquals(List.of(), chainViolations(WellPadded.class), "the well-padded fixture follows the chain");
        assertFalse(chainViolations(FieldAfterPad.class).isEmpty(), "a field declared in the final class is found");
        assertFalse(chainViolations(NoSecondPad.class).isEmpty(), "a chain with no second pad is found");
        Map<String, List<Slot>> layouts = layoutsOf(
                List.of(WellPadded.class.getName(), FieldAfterPad.class.getName(), ShortSecondPad.class.getName()));
        assertEquals(List.of(), layoutViolations(WellPadded.class.getName(), layouts.get(WellPadded.class.getName())));
        List<String> afterPad =
                layoutViolations(FieldAfterPad.class.getName(), layouts.get(FieldAfterPad.class.getName()));
        assertTrue(afterPad.stream().anyMatch(s -> s.contains("after its last field")), "found: " + afterPad);
        List<String> shortPad =
                layoutViolations(ShortSecondPad.class.getName(), layouts.get(ShortSecondPad.class.getName()));
        assertTrue(shortPad.stream().anyMatch(s -> s.contains("after its last field")), "found: " + shortPad);
    }

    /** The idiom: {@code L1Pad → XFields → XL2Pad → final X}, with every field in {@code XFields}. */
    static List<String> chainViolations(Class<?> c) {
        List<String> wrong = new ArrayList<>();
        String name = c.getName();
        if (!Modifier.isFinal(c.getModifiers())) {
            wrong.add(name + ": a padded class is final (the chain ends in it)");
        }
        if (declaresInstanceFields(c)) {
            wrong.add(name + ": declares instance fields; they belong in its fields class, between the pads");
        }
        Class<?> l2 = c.getSuperclass();
        if (!l2.getSimpleName().endsWith("L2Pad")) {
            wrong.add(name + ": its superclass " + l2.getName() + " is not its second pad (…L2Pad)");
            return wrong;
        }
        Class<?> fields = l2;
        while (fields != null && fields.getSuperclass() != L1Pad.class) {
            fields = fields.getSuperclass();
        }
        if (fields == null || !declaresInstanceFields(fields) && fields.getSuperclass() != L1Pad.class) {
            wrong.add(name + ": no fields class directly below L1Pad");
        }
        return wrong;
    }

    /** Every field that is not padding is at least {@value #PAD} bytes from both ends of the object. */
    static List<String> layoutViolations(String name, List<Slot> slots) {
        List<String> wrong = new ArrayList<>();
        List<Slot> payload = slots.stream().filter(s -> !s.isPad()).toList();
        if (payload.isEmpty()) {
            return List.of(name + ": has no fields to pad");
        }
        long end = slots.stream().mapToLong(Slot::end).max().orElseThrow();
        Slot first = payload.stream()
                .min((a, b) -> Long.compare(a.offset(), b.offset()))
                .orElseThrow();
        Slot last =
                payload.stream().max((a, b) -> Long.compare(a.end(), b.end())).orElseThrow();
        if (first.offset() < PAD) {
            wrong.add(name + ": " + first.field() + " is at offset " + first.offset() + ", less than " + PAD
                    + " bytes from the object's start");
        }
        if (end - last.end() < PAD) {
            wrong.add(name + ": " + (end - last.end()) + " bytes of padding after its last field " + last.field()
                    + " (offset " + last.offset() + ", object ends at " + end + "), less than " + PAD);
        }
        return wrong;
    }

    private static boolean declaresInstanceFields(Class<?> c) {
        return Stream.of(c.getDeclaredFields()).anyMatch(f -> !Modifier.isStatic(f.getModifiers()));
    }

    /** The concrete subclasses of {@link L1Pad} among the core's compiled classes. */
    private static List<Class<?>> paddedClassesOfTheCore() throws IOException, URISyntaxException {
        Path root = Path.of(
                L1Pad.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String relative = root.relativize(p).toString();
                String className = relative.substring(0, relative.length() - ".class".length())
                        .replace(p.getFileSystem().getSeparator(), ".");
                if (className.endsWith("module-info") || className.endsWith("package-info")) {
                    continue;
                }
                Class<?> c;
                try {
                    c = Class.forName(className, false, L1Pad.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    throw new AssertionError("cannot load " + className, e);
                }
                if (c != L1Pad.class && L1Pad.class.isAssignableFrom(c) && !Modifier.isAbstract(c.getModifiers())) {
                    found.add(c);
                }
            }
        }
        return found;
    }

    /** Runs {@link FieldOffsets} in a child JVM and reads its lines. */
    static Map<String, List<Slot>> layoutsOf(List<String> classNames) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp",
                System.getProperty("java.class.path"),
                FieldOffsets.class.getName()));
        command.addAll(classNames);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end within 60 s");
        assertEquals(0, child.exitValue(), "the child JVM that reads field offsets failed:\n" + out);
        Map<String, List<Slot>> layouts = new LinkedHashMap<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split(" ");
            if (f.length != 5) {
                throw new AssertionError("unexpected line from the child JVM: " + line + "\n" + out);
            }
            layouts.computeIfAbsent(f[0], k -> new ArrayList<>())
                    .add(new Slot(f[1], f[2], Long.parseLong(f[3]), Integer.parseInt(f[4])));
        }
        assertEquals(classNames.size(), layouts.size(), "a layout for each class asked:\n" + out);
        return layouts;
    }

    // ---- fixtures: one class that follows the idiom and three that break it ----

    abstract static class WellPaddedFields extends L1Pad {
        long hot;
        Object ref;
    }

    abstract static class WellPaddedL2Pad extends WellPaddedFields {
        long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
    }

    static final class WellPadded extends WellPaddedL2Pad {}

    /** Its own field lands after the second pad, next to whatever follows the object. */
    static final class FieldAfterPad extends WellPaddedL2Pad {
        long late;
    }

    abstract static class ShortSecondPadL2Pad extends WellPaddedFields {
        long p00, p01, p02, p03, p04, p05, p06, p07;
    }

    /** 64 bytes of second pad. */
    static final class ShortSecondPad extends ShortSecondPadL2Pad {}

    /** No second pad at all. */
    static final class NoSecondPad extends WellPaddedFields {}
}
