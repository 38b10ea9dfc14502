package dev.offload.internal.base;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A throwable or a stack as text for a log line, with repeated frames collapsed: a {@link StackOverflowError}'s
 * thousand frames of one recursion become the frames of one turn and a line saying how often it repeated, and a
 * cause's frames in common with the throwable it caused become {@code ... n more}, as the JDK prints them.
 *
 * <p>Any thread; no state.
 */
public final class StackText {
    /** The longest run of frames looked for as a repeated unit (a recursion through that many methods). */
    private static final int MAX_PERIOD = 32;
    /** A unit repeated at least this many times in a row is collapsed. */
    private static final int MIN_REPEATS = 3;

    private StackText() {}

    /**
     * Returns {@code t.toString()}, or, if that throws (user code may override it), the class's name and what the
     * call threw: a message about a failure must not fail itself, nor lose the outcome it reports.
     *
     * @param t a throwable, may be null
     * @return its text
     */
    public static String describe(Throwable t) {
        try {
            return String.valueOf(t);
        } catch (Throwable x) {
            return t.getClass().getName() + " (its toString() threw "
                    + x.getClass().getName() + ")";
        }
    }

    /** Returns {@code t}, its causes and its suppressed throwables, one frame a line, repeats collapsed. */
    public static String of(Throwable t) {
        StringBuilder out = new StringBuilder();
        append(out, t, new StackTraceElement[0], "", "", java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return out.toString();
    }

    /** Returns a stack (another thread's, say), one frame a line, repeats collapsed. */
    public static String of(List<StackTraceElement> stack) {
        StringBuilder out = new StringBuilder();
        for (String line : frames(stack.toArray(new StackTraceElement[0]), stack.size())) {
            out.append('\t').append(line).append('\n');
        }
        return out.toString();
    }

    private static void append(
            StringBuilder out,
            Throwable t,
            StackTraceElement[] enclosing,
            String caption,
            String prefix,
            Set<Throwable> seen) {
        if (!seen.add(t)) {
            out.append(prefix)
                    .append(caption)
                    .append("[CIRCULAR REFERENCE: ")
                    .append(describe(t))
                    .append("]\n");
            return;
        }
        out.append(prefix).append(caption).append(describe(t)).append('\n');
        StackTraceElement[] trace = t.getStackTrace();
        int m = trace.length - 1;
        int n = enclosing.length - 1;
        while (m >= 0 && n >= 0 && trace[m].equals(enclosing[n])) {
            m--;
            n--;
        }
        int inCommon = trace.length - 1 - m;
        for (String line : frames(trace, m + 1)) {
            out.append(prefix).append('\t').append(line).append('\n');
        }
        if (inCommon != 0) {
            out.append(prefix).append("\t... ").append(inCommon).append(" more\n");
        }
        for (Throwable s : t.getSuppressed()) {
            append(out, s, trace, "Suppressed: ", prefix + "\t", seen);
        }
        Throwable cause = t.getCause();
        if (cause != null) {
            append(out, cause, trace, "Caused by: ", prefix, seen);
        }
    }

    /**
     * The first {@code count} frames as lines ({@code at frame}), a unit repeated {@value #MIN_REPEATS} or more times
     * in a row shown once and followed by a line that says how often it repeated.
     */
    static List<String> frames(StackTraceElement[] trace, int count) {
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < count) {
            int period = 0;
            int repeats = 0;
            for (int p = 1; p <= MAX_PERIOD && i + p * MIN_REPEATS <= count; p++) {
                int k = repeatsAt(trace, i, p, count);
                if (k >= MIN_REPEATS) {
                    period = p;
                    repeats = k;
                    break;
                }
            }
            if (period == 0) {
                lines.add("at " + trace[i]);
                i++;
                continue;
            }
            for (int j = 0; j < period; j++) {
                lines.add("at " + trace[i + j]);
            }
            lines.add("... the " + (period == 1 ? "frame" : period + " frames") + " above repeated " + (repeats - 1)
                    + " more time" + (repeats - 1 == 1 ? "" : "s"));
            i += period * repeats;
        }
        return lines;
    }

    /** How many times in a row the {@code period} frames from {@code from} occur, counting the first. */
    private static int repeatsAt(StackTraceElement[] trace, int from, int period, int count) {
        int k = 1;
        while (from + (k + 1) * period <= count
                && Arrays.equals(trace, from, from + period, trace, from + k * period, from + (k + 1) * period)) {
            k++;
        }
        return k;
    }
}
