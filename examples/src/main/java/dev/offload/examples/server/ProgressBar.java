package dev.offload.examples.server;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar drawn by appending to one line, {@code label [######....] 5.0 s}, so that it reads the same on a
 * terminal, through Maven and in a CI log (no carriage returns, no escape codes). Owner thread only.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private int drawn;

    private ProgressBar(PrintStream out, String label) {
        this.out = out;
        out.printf(Locale.ROOT, "  %-24s [", label);
        out.flush();
    }

    static ProgressBar start(PrintStream out, String label) {
        return new ProgressBar(out, label);
    }

    /** Draws the bar up to {@code fraction} of its width. */
    void update(double fraction) {
        int target = (int) Math.min(WIDTH, Math.floor(fraction * WIDTH));
        if (target > drawn) {
            out.print("#".repeat(target - drawn));
            out.flush();
            drawn = target;
        }
    }

    /** Completes the bar and ends the line with {@code summary}. */
    void finish(String summary) {
        update(1.0);
        out.println("] " + summary);
        out.flush();
    }
}
