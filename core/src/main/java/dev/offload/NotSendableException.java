package dev.offload;

import java.io.Serial;

/**
 * A value may not cross between threads: it is mutable and neither copyable nor shared on purpose, or a task captures
 * such a value. The message names the type, the path inside the value and the fix.
 */
public final class NotSendableException extends IllegalArgumentException {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The path to the offending value, such as {@code input.items[2]}. */
    private final String path;

    /** The offending type's name. */
    private final String typeName;

    /**
     * Creates the exception.
     *
     * @param path where the value sits, such as {@code input.items[2]}
     * @param type the offending type
     * @param rule which rule it broke and how to fix it
     */
    public NotSendableException(String path, Class<?> type, String rule) {
        super("not sendable: path=" + path + ", type=" + type.getName() + ": " + rule);
        this.path = path;
        this.typeName = type.getName();
    }

    /**
     * Returns where the value sits, such as {@code input.items[2]}.
     *
     * @return the path
     */
    public String path() {
        return path;
    }

    /**
     * Returns the name of the offending type.
     *
     * @return the type's binary name
     */
    public String typeName() {
        return typeName;
    }
}
