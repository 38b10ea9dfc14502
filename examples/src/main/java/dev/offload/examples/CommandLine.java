package dev.offload.examples;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The options of one example: {@code --name value}, {@code --name=value} or a bare {@code --flag}. Each example
 * declares what it accepts, with a default and a line of help; a mistyped option is an error that lists the valid
 * ones.
 *
 * <p>Owner thread only (the example's main thread).
 */
public final class CommandLine {
    private final String example;
    private final Map<String, Option> declared = new LinkedHashMap<>();
    private final Map<String, String> given = new HashMap<>();

    private record Option(String name, String defaultValue, String help, boolean flag) {}

    /** A bad option or value: the message says which and what is valid. */
    public static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception.
         *
         * @param message what is wrong and what to do instead
         */
        public UsageException(String message) {
            super(message);
        }
    }

    private CommandLine(String example) {
        this.example = example;
    }

    /**
     * Starts the declaration of an example's options.
     *
     * @param example the example's short name, for messages
     * @return a command line with only {@code --help} declared
     */
    public static CommandLine of(String example) {
        CommandLine line = new CommandLine(example);
        line.flag("help", "print the options and exit");
        return line;
    }

    /**
     * Declares an option that takes a value.
     *
     * @param name the name, without the dashes
     * @param defaultValue the value when it is not given
     * @param help one line of help
     * @return this command line
     */
    public CommandLine option(String name, String defaultValue, String help) {
        declared.put(name, new Option(name, defaultValue, help, false));
        return this;
    }

    /**
     * Declares an option that takes no value.
     *
     * @param name the name, without the dashes
     * @param help one line of help
     * @return this command line
     */
    public CommandLine flag(String name, String help) {
        declared.put(name, new Option(name, "false", help, true));
        return this;
    }

    /**
     * Reads the arguments.
     *
     * @param args the arguments
     * @return this command line
     * @throws UsageException for an unknown option or a missing value
     */
    public CommandLine parse(String... args) {
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String arg = rest.removeFirst();
            if (arg.isBlank()) {
                continue;
            }
            if (!arg.startsWith("--")) {
                throw usage("unexpected argument: argument=" + arg);
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            Option option = declared.get(name);
            if (option == null) {
                throw usage("unknown option: option=--" + name);
            }
            if (option.flag()) {
                given.put(name, value == null ? "true" : value);
            } else {
                if (value == null) {
                    if (rest.isEmpty() || rest.getFirst().startsWith("--")) {
                        throw usage("option needs a value: option=--" + name);
                    }
                    value = rest.removeFirst();
                }
                given.put(name, value);
            }
        }
        return this;
    }

    /**
     * Returns whether {@code --help} was given.
     *
     * @return {@code true} if help was asked for
     */
    public boolean helpWanted() {
        return flag("help");
    }

    /**
     * Returns the help text: one line per option with its default.
     *
     * @return the text
     */
    public String help() {
        StringBuilder out = new StringBuilder("options of " + example + " (pass them with -Dargs=\"...\"):\n");
        for (Option o : declared.values()) {
            String left = o.flag() ? "--" + o.name() : "--" + o.name() + " " + o.defaultValue();
            out.append(String.format(Locale.ROOT, "  %-22s %s%n", left, o.help()));
        }
        return out.toString();
    }

    /**
     * Returns a flag's value.
     *
     * @param name the name
     * @return {@code true} if given
     */
    public boolean flag(String name) {
        return Boolean.parseBoolean(raw(name));
    }

    /**
     * Returns an option's value as a string.
     *
     * @param name the name
     * @return the value given, else the default
     */
    public String string(String name) {
        return raw(name);
    }

    /**
     * Returns an option's value as an integer.
     *
     * @param name the name
     * @param min the smallest value allowed
     * @return the value
     * @throws UsageException if it is not an integer of at least {@code min}
     */
    public int integer(String name, int min) {
        String text = raw(name).replace("_", "").replace(",", "");
        try {
            int value = Integer.parseInt(text);
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage("--" + name + " must be an integer >= " + min + ": " + name + "=" + raw(name));
    }

    /**
     * Returns an option's value as a duration: {@code 500ms}, {@code 5s}, {@code 2m}, or a plain number of seconds.
     *
     * @param name the name
     * @return the duration, more than zero
     * @throws UsageException if it is not a positive duration
     */
    public Duration duration(String name) {
        String text = raw(name).trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (text.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            } else if (text.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            } else if (text.endsWith("m")) {
                d = Duration.ofSeconds(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 60));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
            }
            if (!d.isNegative() && !d.isZero()) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw usage("--" + name + " must be a positive duration such as 500ms, 5s or 1m: " + name + "=" + raw(name));
    }

    private String raw(String name) {
        Option option = declared.get(name);
        if (option == null) {
            throw new IllegalStateException("option not declared: name=" + name);
        }
        return given.getOrDefault(name, option.defaultValue());
    }

    private UsageException usage(String problem) {
        return new UsageException(problem + "\n" + help());
    }
}
