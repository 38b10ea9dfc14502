package dev.offload.examples.server;

import java.time.Duration;
import java.util.Locale;

/** Number formats of the demo's table: milliseconds with two decimals, ratios with one or two. Any thread. */
final class Table {
    private Table() {}

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.2f ms", d.toNanos() / 1e6);
    }

    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1e3);
    }

    static String ratio(double numerator, double denominator) {
        if (denominator <= 0) {
            return "n/a";
        }
        double r = numerator / denominator;
        return String.format(Locale.ROOT, r >= 10 ? "%.0f" : "%.1f", r);
    }
}
