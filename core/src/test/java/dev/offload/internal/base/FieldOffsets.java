package dev.offload.internal.base;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Prints the field offsets of classes, one line per instance field: {@code class declaringClass field offset size}.
 * Run in a child JVM started with {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} by
 * {@link PaddedLayoutTest}: the JDK's internal {@code Unsafe} is the only public-API-free way to read a real offset
 * ({@code sun.misc.Unsafe} is denied in the tests, and HotSpot's field-layout printing is in debug builds only).
 */
public final class FieldOffsets {
    private FieldOffsets() {}

    /**
     * Prints the layout of each class named.
     *
     * @param args binary class names
     * @throws ReflectiveOperationException if the internal {@code Unsafe} cannot be reached
     */
    public static void main(String[] args) throws ReflectiveOperationException {
        Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method offsetOf = unsafeClass.getMethod("objectFieldOffset", Field.class);
        int referenceSize = unsafeClass.getField("ARRAY_OBJECT_INDEX_SCALE").getInt(null);
        for (String name : args) {
            Class<?> type = Class.forName(name, false, FieldOffsets.class.getClassLoader());
            for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    long offset = (long) offsetOf.invoke(unsafe, f);
                    System.out.println(name + " " + c.getName() + " " + f.getName() + " " + offset + " "
                            + sizeOf(f.getType(), referenceSize));
                }
            }
        }
    }

    private static int sizeOf(Class<?> type, int referenceSize) {
        if (!type.isPrimitive()) {
            return referenceSize;
        }
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;
    }
}
