package dev.offload.internal.base;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Looks up the {@link VarHandle} of a field, for a class's static initializer: the one place the project turns a
 * failed lookup (a renamed field) into the {@link ExceptionInInitializerError} it is.
 *
 * <p>Any thread.
 */
public final class VarHandles {
    private VarHandles() {}

    /**
     * Returns the handle of a field of {@code owner}.
     *
     * @param lookup the caller's lookup ({@code MethodHandles.lookup()}), which has access to the field
     * @param owner the class that declares the field
     * @param name the field's name
     * @param type the field's type
     * @return the handle
     * @throws ExceptionInInitializerError if there is no such field
     */
    public static VarHandle field(MethodHandles.Lookup lookup, Class<?> owner, String name, Class<?> type) {
        try {
            return lookup.findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
