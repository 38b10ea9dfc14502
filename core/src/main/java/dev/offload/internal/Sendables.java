package dev.offload.internal;

import dev.offload.NotSendableException;
import dev.offload.shm.SharedBuffer;
import dev.offload.shm.TransferableBuffer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The isolation rules: what may cross between a submitter and a worker, and how (by reference, copied, shared or
 * moved). Each class is classified once ({@link ClassValue}); values are then prepared with no reflection for the
 * common immutable cases.
 *
 * <p>Any thread.
 */
public final class Sendables {
    private static final String FIX = "pass an immutable value (String, box, enum, record or List.of/Map.of of those),"
            + " a primitive array or ArrayList/HashMap/HashSet of sendable values (copied), a SharedBuffer (shared) or"
            + " a TransferableBuffer (moved); or build the pool with Isolation.TRUSTED";

    private enum Kind {
        IMMUTABLE,
        PRIMITIVE_ARRAY,
        OBJECT_ARRAY,
        RECORD,
        IMMUTABLE_LIST,
        IMMUTABLE_SET,
        IMMUTABLE_MAP,
        MUTABLE_COLLECTION,
        MUTABLE_MAP,
        TRANSFER,
        REJECT
    }

    private record Plan(Kind kind, String reason, RecordPlan record, Supplier<Object> factory) {}

    private record RecordPlan(String[] names, MethodHandle[] accessors, MethodHandle constructor) {}

    private static final ClassValue<Plan> PLANS = new ClassValue<>() {
        @Override
        protected Plan computeValue(Class<?> type) {
            return classify(type);
        }
    };

    private static final ClassValue<String> TASK_CHECKS = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            return checkCaptures(type);
        }
    };

    private static final Set<Class<?>> IMMUTABLE_TYPES = Set.of(
            String.class,
            Integer.class,
            Long.class,
            Short.class,
            Byte.class,
            Character.class,
            Boolean.class,
            Float.class,
            Double.class,
            BigInteger.class,
            BigDecimal.class,
            UUID.class,
            SharedBuffer.class);

    private Sendables() {}

    /**
     * Checks {@code value} and returns what the receiving side gets: the same instance when it is immutable or shared,
     * a deep copy when it holds arrays or mutable collections, a new handle when it is moved.
     *
     * @param value the value to send, may be null
     * @param root the name of the value in error messages, such as {@code "input"}
     * @return the value to hand over
     * @throws NotSendableException if the value or something inside it may not cross
     */
    public static Object prepare(Object value, String root) {
        if (value == null) {
            return null;
        }
        Plan plan = PLANS.get(value.getClass());
        if (plan.kind == Kind.IMMUTABLE) {
            return value;
        }
        return prepareSlow(value, plan, new PathNode(null, root, null, -1));
    }

    /**
     * Checks that a task object captures only immutable values. Checked once per class.
     *
     * @param task the task object (a lambda, method reference or class instance)
     * @throws NotSendableException naming the captured field if it does not
     */
    public static void checkTask(Object task) {
        String problem = TASK_CHECKS.get(task.getClass());
        if (problem != null) {
            throw new NotSendableException("task", task.getClass(), problem);
        }
    }

    private static Object prepareSlow(Object value, Plan plan, PathNode path) {
        return switch (plan.kind) {
            case IMMUTABLE -> value;
            case PRIMITIVE_ARRAY -> copyPrimitiveArray(value);
            case OBJECT_ARRAY -> copyObjectArray((Object[]) value, path);
            case RECORD -> prepareRecord(value, plan.record, path);
            case IMMUTABLE_LIST -> prepareImmutableList((List<?>) value, path);
            case IMMUTABLE_SET -> prepareImmutableSet((Set<?>) value, path);
            case IMMUTABLE_MAP -> prepareImmutableMap((Map<?, ?>) value, path);
            case MUTABLE_COLLECTION -> copyCollection((Collection<?>) value, plan, path);
            case MUTABLE_MAP -> copyMap((Map<?, ?>) value, plan, path);
            case TRANSFER -> ((TransferableBuffer) value).transfer();
            case REJECT -> throw new NotSendableException(path.toString(), value.getClass(), plan.reason);
        };
    }

    /** Prepares a part of a container; its path segment is kept in parts and only formatted for an error. */
    private static Object child(Object value, PathNode path, String field, Object key, int index) {
        if (value == null) {
            return null;
        }
        Plan plan = PLANS.get(value.getClass());
        return plan.kind == Kind.IMMUTABLE ? value : prepareSlow(value, plan, new PathNode(path, field, key, index));
    }

    private static Object copyPrimitiveArray(Object array) {
        int length = Array.getLength(array);
        Object copy = Array.newInstance(array.getClass().getComponentType(), length);
        System.arraycopy(array, 0, copy, 0, length);
        return copy;
    }

    private static Object[] copyObjectArray(Object[] array, PathNode path) {
        Object[] copy = (Object[]) Array.newInstance(array.getClass().getComponentType(), array.length);
        for (int i = 0; i < array.length; i++) {
            copy[i] = child(array[i], path, null, null, i);
        }
        return copy;
    }

    private static Object prepareRecord(Object value, RecordPlan plan, PathNode path) {
        Object[] parts = new Object[plan.accessors.length];
        boolean changed = false;
        try {
            for (int i = 0; i < parts.length; i++) {
                Object part = plan.accessors[i].invoke(value);
                parts[i] = child(part, path, plan.names[i], null, -1);
                changed |= parts[i] != part;
            }
            return changed ? plan.constructor.invokeWithArguments(parts) : value;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot copy record: path=" + path + ", type=" + value.getClass(), t);
        }
    }

    private static Object prepareImmutableList(List<?> list, PathNode path) {
        Object[] parts = new Object[list.size()];
        boolean changed = false;
        for (int i = 0; i < parts.length; i++) {
            Object part = list.get(i);
            parts[i] = child(part, path, null, null, i);
            changed |= parts[i] != part;
        }
        return changed ? List.of(parts) : list;
    }

    private static Object prepareImmutableSet(Set<?> set, PathNode path) {
        List<Object> parts = new ArrayList<>(set.size());
        boolean changed = false;
        for (Object part : set) {
            Object prepared = child(part, path, null, part.getClass(), -1);
            parts.add(prepared);
            changed |= prepared != part;
        }
        return changed ? Set.copyOf(parts) : set;
    }

    private static Object prepareImmutableMap(Map<?, ?> map, PathNode path) {
        Map<Object, Object> parts = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            Object key = child(e.getKey(), path, "key", e.getKey(), -1);
            Object val = child(e.getValue(), path, null, e.getKey(), -1);
            changed |= key != e.getKey() || val != e.getValue();
            parts.put(key, val);
        }
        return changed ? Map.copyOf(parts) : map;
    }

    @SuppressWarnings("unchecked")
    private static Object copyCollection(Collection<?> source, Plan plan, PathNode path) {
        Collection<Object> copy = (Collection<Object>) plan.factory.get();
        int i = 0;
        for (Object part : source) {
            copy.add(child(part, path, null, null, i++));
        }
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object copyMap(Map<?, ?> source, Plan plan, PathNode path) {
        Map<Object, Object> copy = (Map<Object, Object>) plan.factory.get();
        for (Map.Entry<?, ?> e : source.entrySet()) {
            copy.put(child(e.getKey(), path, "key", e.getKey(), -1), child(e.getValue(), path, null, e.getKey(), -1));
        }
        return copy;
    }

    private static Plan classify(Class<?> type) {
        if (isImmutableType(type, 0)) {
            return new Plan(Kind.IMMUTABLE, null, null, null);
        }
        if (type.isArray()) {
            return new Plan(
                    type.getComponentType().isPrimitive() ? Kind.PRIMITIVE_ARRAY : Kind.OBJECT_ARRAY, null, null, null);
        }
        if (type == TransferableBuffer.class) {
            return new Plan(Kind.TRANSFER, null, null, null);
        }
        if (type.isRecord()) {
            return recordPlan(type);
        }
        String name = type.getName();
        if (name.startsWith("java.util.ImmutableCollections$")) {
            Kind kind = List.class.isAssignableFrom(type)
                    ? Kind.IMMUTABLE_LIST
                    : Set.class.isAssignableFrom(type) ? Kind.IMMUTABLE_SET : Kind.IMMUTABLE_MAP;
            return new Plan(kind, null, null, null);
        }
        Supplier<Object> factory = collectionFactory(type);
        if (factory != null) {
            return new Plan(
                    Map.class.isAssignableFrom(type) ? Kind.MUTABLE_MAP : Kind.MUTABLE_COLLECTION, null, null, factory);
        }
        return new Plan(Kind.REJECT, "mutable type that is neither copied nor shared; fix: " + FIX, null, null);
    }

    private static Supplier<Object> collectionFactory(Class<?> type) {
        if (type == ArrayList.class) {
            return ArrayList::new;
        } else if (type == LinkedList.class) {
            return LinkedList::new;
        } else if (type == ArrayDeque.class) {
            return ArrayDeque::new;
        } else if (type == HashSet.class) {
            return HashSet::new;
        } else if (type == LinkedHashSet.class) {
            return LinkedHashSet::new;
        } else if (type == HashMap.class) {
            return HashMap::new;
        } else if (type == LinkedHashMap.class) {
            return LinkedHashMap::new;
        }
        return null;
    }

    private static Plan recordPlan(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        String[] names = new String[components.length];
        MethodHandle[] accessors = new MethodHandle[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            for (int i = 0; i < components.length; i++) {
                names[i] = components[i].getName();
                types[i] = components[i].getType();
                accessors[i] = lookup.unreflect(components[i].getAccessor());
            }
            MethodHandle constructor = lookup.unreflectConstructor(type.getDeclaredConstructor(types));
            return new Plan(Kind.RECORD, null, new RecordPlan(names, accessors, constructor), null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Plan(
                    Kind.REJECT,
                    "record is not accessible to offload (" + e + "); fix: open its package to module dev.offload,"
                            + " or build the pool with Isolation.TRUSTED",
                    null,
                    null);
        }
    }

    /** Whether every instance of {@code type} is deeply immutable, judged from the type alone. */
    private static boolean isImmutableType(Class<?> type, int depth) {
        if (type.isPrimitive() || IMMUTABLE_TYPES.contains(type) || type.isEnum()) {
            return true;
        }
        if (type.getSuperclass() != null && type.getSuperclass().isEnum()) {
            return true; // an enum constant with a body
        }
        if (type.getName().startsWith("java.time.") && type.getPackageName().equals("java.time")) {
            return Modifier.isFinal(type.getModifiers()) || type == java.time.ZoneId.class;
        }
        if (type.isRecord() && depth < 8) {
            for (RecordComponent c : type.getRecordComponents()) {
                if (!isImmutableType(c.getType(), depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** Returns why a task class may not be sent, or null if it captures only immutable values. */
    private static String checkCaptures(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                if (!Modifier.isFinal(f.getModifiers())) {
                    return "it has a non-final field " + f.getName() + " of type "
                            + f.getType().getName()
                            + "; fix: make the task stateless and pass the data as the task's input";
                }
                if (!isImmutableType(f.getType(), 0)) {
                    return "it captures field " + f.getName() + " of mutable type "
                            + f.getType().getName()
                            + " (a lambda's captured variable or enclosing 'this'); fix: pass the data as the task's"
                            + " input, use a static method reference, or build the pool with Isolation.TRUSTED";
                }
            }
        }
        return null;
    }

    /** A path inside a value, built only on the way down into containers. */
    private record PathNode(PathNode parent, String field, Object key, int index) {
        @Override
        public String toString() {
            String segment;
            if (field != null && key != null) {
                segment = "." + field + "(" + key + ")"; // a map key itself
            } else if (field != null) {
                segment = parent == null ? field : "." + field;
            } else if (key instanceof Class<?> elementType) {
                segment = "{" + elementType.getSimpleName() + "}"; // a set element
            } else {
                segment = "[" + (key != null ? key : index) + "]";
            }
            return parent == null ? segment : parent + segment;
        }
    }
}
