package dev.offload.internal.clone;

import dev.offload.NotSendableException;
import dev.offload.shm.DoubleArray;
import dev.offload.shm.IntArray;
import dev.offload.shm.LongArray;
import dev.offload.shm.SharedBuffer;
import dev.offload.shm.TransferableBuffer;
import dev.offload.shm.internal.TransferAccess;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The isolation rules: what may cross between a submitter and a worker, and how (by reference, copied, shared or
 * moved). Each class is classified once ({@link ClassValue}); values are then prepared with no reflection for the
 * common immutable cases.
 *
 * <p>Overview: {@link #prepare} walks the value once and builds what the receiver gets, like a structured clone: an
 * object reached twice (a shared sub-object, or a cycle through arrays and mutable collections) is copied once and
 * keeps its shape. It changes nothing the sender holds: a {@code TransferableBuffer} gets its receiver's handle made,
 * but the sender's handle stays attached until {@link Moves#commit()}, which the pool calls only once the submit can
 * no longer fail. A walk deeper than {@value #MAX_DEPTH} levels, or a cycle through a record or an immutable
 * collection (each is built from its parts, so such a cycle has no copy), is refused with a
 * {@link NotSendableException} naming the path.
 *
 * <p>Map: the per-class plans ({@code PLANS}) and task checks; {@code prepare} and {@code prepareAndCommit}, the walk
 * and its copies, then {@link Moves}; the check of a task object's captures; how a class is classified (immutable,
 * array, collection, record, refused) and the path kept for messages.
 *
 * <p>Any thread.
 */
public final class Sendables {
    /** The deepest nesting that {@link #prepare} walks. */
    public static final int MAX_DEPTH = 512;

    private static final String FIX = "pass an immutable value (String, box, enum, record or List.of/Map.of of those),"
            + " a primitive array or ArrayList/HashMap/HashSet of sendable values (copied), a SharedBuffer or one of"
            + " its views (shared) or a TransferableBuffer (moved); or build the pool with Isolation.TRUSTED";
    private static final Object IN_PROGRESS = new Object();

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
        TRANSFER_OTHER,
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

    /**
     * The task class checked last and found sendable: a submit loop that sends one task class over and over skips the
     * class lookup. A racy cache, written only when the class changes: a thread that reads a stale class looks it up.
     */
    private static Class<?> lastSendableTask;

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
            SharedBuffer.class,
            IntArray.class,
            LongArray.class,
            DoubleArray.class);

    private Sendables() {}

    /**
     * The prepared form of a value that moves buffers: what the receiver gets, and the sender's handles to detach
     * when the send is certain. Made by {@link #prepare}; the receiver must not get {@link #value()} before
     * {@link #commit()} returned.
     */
    public static final class Moves {
        private final Object value;
        private final Object[] sources; // TransferableBuffers, and handles of registered types (message ports)
        private final Object[] handles; // the sources of a registered type: told of a delivery or a drop

        Moves(Object value, List<Object> sources) {
            this.value = value;
            this.sources = sources.toArray();
            int n = 0;
            for (Object source : this.sources) {
                if (!(source instanceof TransferableBuffer)) {
                    n++;
                }
            }
            this.handles = new Object[n];
            n = 0;
            for (Object source : this.sources) {
                if (!(source instanceof TransferableBuffer)) {
                    handles[n++] = source;
                }
            }
        }

        /**
         * Returns what the receiver gets.
         *
         * @return the prepared value
         */
        public Object value() {
            return value;
        }

        /**
         * Detaches every sender's handle. If one was detached meanwhile by another thread (a racing transfer), the
         * ones this call detached are attached again and nothing has moved.
         *
         * @throws IllegalStateException if a handle was transferred by another thread meanwhile
         */
        public void commit() {
            for (int i = 0; i < sources.length; i++) {
                if (!detach(sources[i])) {
                    for (int j = 0; j < i; j++) {
                        reattach(sources[j]);
                    }
                    throw new IllegalStateException("transferred by another thread during the send: " + sources[i]
                            + "; a buffer or port must have one holder at a time");
                }
            }
        }

        /** Undoes a {@link #commit()} whose send then failed: the sender's handles are attached again. */
        public void rollback() {
            for (Object source : sources) {
                reattach(source);
            }
        }

        /**
         * Returns whether the value carries handles of a registered type (message ports), which must be released if
         * the message is dropped undelivered ({@link #discard()}).
         *
         * @return {@code true} if one of the moved handles is not a {@code TransferableBuffer}
         */
        public boolean carriesHandles() {
            return handles.length != 0;
        }

        /**
         * After {@link #commit()}, on the receiving loop's thread: the message was delivered there; each registered
         * type learns it ({@link TransferHandler#delivered}).
         */
        public void delivered() {
            for (Object handle : handles) {
                HANDLERS.get(handle.getClass()).delivered(handle);
            }
        }

        /**
         * After {@link #commit()}: the message was dropped undelivered (its receiver's loop ended first), so nobody
         * will ever hold what it moved; each registered type releases its handle ({@link TransferHandler#discard}).
         */
        public void discard() {
            for (Object handle : handles) {
                HANDLERS.get(handle.getClass()).discard(handle);
            }
        }

        private static boolean detach(Object source) {
            return source instanceof TransferableBuffer b
                    ? TransferAccess.steps().detach(b)
                    : HANDLERS.get(source.getClass()).detach(source);
        }

        private static void reattach(Object source) {
            if (source instanceof TransferableBuffer b) {
                TransferAccess.steps().reattach(b);
            } else {
                HANDLERS.get(source.getClass()).reattach(source);
            }
        }
    }

    /**
     * How a type other than {@code TransferableBuffer} moves with a transfer list (a message port): the layer that
     * owns the type registers it, so that this package needs to know nothing of it.
     */
    public interface TransferHandler {
        /**
         * Makes the receiver's handle of {@code source}, which stays attached until {@link #detach}. May refuse.
         *
         * @param source the sender's handle
         * @return the receiver's handle
         * @throws IllegalStateException if {@code source} may not be transferred by the calling thread
         */
        Object handOver(Object source);

        /**
         * Detaches the sender's handle: the send is certain.
         *
         * @param source the sender's handle
         * @return {@code false} if it was detached already (a racing transfer)
         */
        boolean detach(Object source);

        /**
         * Attaches a handle that {@link #detach} detached, because the send failed after all.
         *
         * @param source the sender's handle
         */
        void reattach(Object source);

        /**
         * Returns whether the handle was transferred already.
         *
         * @param source a handle
         * @return {@code true} if detached
         */
        boolean isDetached(Object source);

        /**
         * The message that moved {@code source} was delivered on the calling thread, an event loop's.
         *
         * @param source the sender's handle, detached
         */
        void delivered(Object source);

        /**
         * The message that moved {@code source} was dropped undelivered: nobody holds the handle now, nor ever will.
         *
         * @param source the sender's handle, detached
         */
        void discard(Object source);
    }

    private static final ConcurrentHashMap<Class<?>, TransferHandler> HANDLERS = new ConcurrentHashMap<>();

    /**
     * Registers how {@code type} moves with a transfer list. Call it before any instance can be sent (from the
     * type's static initializer).
     *
     * @param type the exact class
     * @param handler how its instances move
     */
    public static void registerTransfer(Class<?> type, TransferHandler handler) {
        HANDLERS.put(type, handler);
    }

    /**
     * Returns whether {@code value} can be named in a transfer list: a {@code TransferableBuffer} or a registered type.
     *
     * @param value a value
     * @return {@code true} if it moves with a transfer list
     */
    public static boolean isTransferable(Object value) {
        return value instanceof TransferableBuffer || (value != null && HANDLERS.containsKey(value.getClass()));
    }

    /**
     * Returns whether a transferable {@code value} was transferred already (its handle detached).
     *
     * @param value a buffer or a handle of a registered type
     * @return {@code true} if detached
     */
    public static boolean isDetached(Object value) {
        return value instanceof TransferableBuffer b
                ? b.isDetached()
                : HANDLERS.get(value.getClass()).isDetached(value);
    }

    /**
     * Checks {@code value} and returns what the receiving side gets: the same instance when it is immutable or shared,
     * a copy when it holds arrays or mutable collections; when it holds {@code TransferableBuffer}s, a {@link Moves}
     * whose {@link Moves#commit()} detaches them. Changes nothing the caller holds.
     *
     * @param value the value to send, may be null
     * @param root the name of the value in error messages, such as {@code "input"}
     * @return the value to hand over, or a {@link Moves}
     * @throws NotSendableException if the value or something inside it may not cross
     */
    public static Object prepare(Object value, String root) {
        return prepare(value, root, null);
    }

    /**
     * {@link #prepare(Object, String)} for a message with a transfer list: a {@code TransferableBuffer} in the value
     * moves only if {@code transfer} names it (else it is refused with its path), and every buffer {@code transfer}
     * names must be in the value. Changes nothing the caller holds.
     *
     * @param value the value to send, may be null
     * @param root the name of the value in error messages, such as {@code "message"}
     * @param transfer the buffers the sender moves (an identity set), or {@code null} to move every buffer found
     * @return the value to hand over, or a {@link Moves}
     * @throws NotSendableException if the value or something inside it may not cross, or holds a buffer the transfer
     *     list does not name
     * @throws IllegalArgumentException if the transfer list names a buffer the value does not hold
     */
    public static Object prepare(Object value, String root, Set<Object> transfer) {
        Object prepared = prepareValue(value, root, transfer);
        if (transfer != null && !transfer.isEmpty()) {
            Set<Object> moved = Collections.newSetFromMap(new IdentityHashMap<>());
            if (prepared instanceof Moves m) {
                moved.addAll(Arrays.asList(m.sources));
            }
            for (Object named : transfer) {
                if (!moved.contains(named)) {
                    throw new IllegalArgumentException("the transfer list names something that the " + root
                            + " does not hold: " + named + "; fix: put it in the " + root
                            + " or leave it out of the transfer list");
                }
            }
        }
        return prepared;
    }

    /**
     * {@link #prepare(Object, String)} for a task input whose primitive arrays named in {@code moved} go to the task
     * uncopied (the caller gave them up: {@code TaskOptions.withMoved}); every named array must be inside the input.
     *
     * @param value the input
     * @param root the name of the value in error messages
     * @param moved primitive arrays, by identity, each once (checked by the options)
     * @return the value to hand over, or a {@link Moves}
     * @throws NotSendableException if the value may not cross
     * @throws IllegalArgumentException if a named array is not inside the input
     */
    public static Object prepareMoving(Object value, String root, List<Object> moved) {
        if (moved.size() == 1 && moved.get(0) == value && !Marks.isMarked(value)) {
            return value; // the common case: the input is the moved array
        }
        if (value == null) {
            return null;
        }
        if (Marks.isMarked(value)) {
            throw marked(root, value);
        }
        Clone clone = new Clone(null);
        clone.moved = moved;
        Object prepared = prepareWith(clone, value, PLANS.get(value.getClass()), root);
        for (Object named : moved) {
            if (clone.seen.get(named) != named) {
                throw new IllegalArgumentException("withMoved names an array that the " + root + " does not hold: a "
                        + named.getClass().getSimpleName() + " of length " + java.lang.reflect.Array.getLength(named)
                        + "; fix: name only arrays inside the " + root);
            }
        }
        return prepared;
    }

    private static Object prepareValue(Object value, String root, Set<Object> transfer) {
        if (value == null) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type == Integer.class || type == String.class || type == Long.class) {
            return value; // the common immutable inputs and outputs, without the class lookup
        }
        if (Marks.isMarked(value)) {
            throw marked(root, value);
        }
        Plan plan = PLANS.get(type);
        if (plan.kind == Kind.IMMUTABLE) {
            return value;
        }
        if (plan.kind == Kind.PRIMITIVE_ARRAY) {
            return copyPrimitiveArray(value);
        }
        return prepareWith(new Clone(transfer), value, plan, root);
    }

    /**
     * The deep path of {@link #prepareValue}: a value that is neither null nor marked, through {@code clone}.
     *
     * @param plan the value's class's plan
     */
    private static Object prepareWith(Clone clone, Object value, Plan plan, String root) {
        Object copy;
        PathNode path = new PathNode(null, root, null, -1);
        try {
            copy = clone.prepare(value, plan, path, 0);
        } catch (StackOverflowError e) {
            // Our own recursion is bounded by MAX_DEPTH; what is left is hashing a cyclic key while rebuilding a set
            // or map (its hashCode recurses without end, as it would in the sender's own thread).
            throw new NotSendableException(
                    root,
                    value.getClass(),
                    "a set or map in it holds a key that contains itself, whose hashCode never ends; fix: break the"
                            + " cycle");
        }
        return clone.sources == null ? copy : new Moves(copy, clone.sources);
    }

    /**
     * Checks a transfer list (each entry a {@code TransferableBuffer} or a handle of a registered type, attached,
     * named once) and returns it as an identity set for {@link #prepare(Object, String, Set)}.
     *
     * @param transfer the list, may be null or empty
     * @return the entries by identity
     * @throws IllegalArgumentException naming the entry that breaks a rule, and the fix
     */
    public static Set<Object> transferList(Object[] transfer) {
        if (transfer == null || transfer.length == 0) {
            return Set.of();
        }
        Set<Object> set = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < transfer.length; i++) {
            Object item = transfer[i];
            if (item == null) {
                throw new IllegalArgumentException(
                        "transfer[" + i + "] is null; fix: list only what the message moves");
            }
            if (!Sendables.isTransferable(item)) {
                throw new IllegalArgumentException(
                        "transfer[" + i + "] is a " + item.getClass().getName()
                                + ", which cannot be transferred; fix: list only the TransferableBuffers and MessagePorts the"
                                + " message moves");
            }
            if (Sendables.isDetached(item)) {
                throw new IllegalArgumentException("transfer[" + i + "] is detached (transferred already): " + item
                        + "; fix: send the handle that transfer() or the receiver got");
            }
            if (!set.add(item)) {
                throw new IllegalArgumentException(
                        "transfer[" + i + "] names the same item twice: " + item + "; fix: list each once");
            }
        }
        return set;
    }

    /**
     * {@link #prepare} and {@link Moves#commit()} at once, for a value that is sent as soon as it is prepared (a task's
     * output).
     *
     * @param value the value to send
     * @param root the name of the value in error messages
     * @return what the receiving side gets
     * @throws NotSendableException if the value may not cross
     * @throws IllegalStateException if a buffer in it was transferred by another thread meanwhile
     */
    public static Object prepareAndCommit(Object value, String root) {
        return prepareAndCommit(value, root, null);
    }

    /**
     * {@link #prepare(Object, String, Set)} and {@link Moves#commit()} at once, for a value sent as soon as it is
     * prepared with a transfer list (a worker's data, a message by thread id).
     *
     * @param value the value to send
     * @param root the name of the value in error messages
     * @param transfer what moves (see {@link #transferList}), or {@code null} to move every buffer found
     * @return what the receiving side gets
     * @throws NotSendableException if the value may not cross
     * @throws IllegalArgumentException if the transfer list names what the value does not hold
     * @throws IllegalStateException if something in it was transferred by another thread meanwhile
     */
    public static Object prepareAndCommit(Object value, String root, Set<Object> transfer) {
        Object prepared = prepare(value, root, transfer);
        if (prepared instanceof Moves moves) {
            moves.commit();
            return moves.value();
        }
        return prepared;
    }

    /**
     * {@link #prepareAndCommit(Object, String, Set)}, keeping what moved: for a value sent to a receiver that may never
     * take it (a worker's data, a message by thread id), whose ports must then hear of its delivery or its drop.
     *
     * @param value the value to send
     * @param root the name of the value in error messages
     * @param transfer what moves (see {@link #transferList})
     * @return the committed value and what it moved (nothing, if it moved nothing)
     * @throws NotSendableException if the value may not cross
     * @throws IllegalArgumentException if the transfer list names what the value does not hold
     * @throws IllegalStateException if something in it was transferred by another thread meanwhile
     */
    public static Moves prepareAndCommitMoves(Object value, String root, Set<Object> transfer) {
        Object prepared = prepare(value, root, transfer);
        if (prepared instanceof Moves moves) {
            moves.commit();
            return moves;
        }
        return new Moves(prepared, List.of());
    }

    /**
     * Checks that a task object captures only immutable values. Checked once per class.
     *
     * @param task the task object (a lambda, method reference or class instance)
     * @throws NotSendableException naming the captured field if it does not
     */
    public static void checkTask(Object task) {
        Class<?> type = task.getClass();
        if (type == lastSendableTask) {
            return;
        }
        String problem = TASK_CHECKS.get(type);
        if (problem != null) {
            throw new NotSendableException("task", type, problem);
        }
        lastSendableTask = type;
    }

    /** One walk of {@link #prepare}: what was copied already, and the buffers to move. */
    private static NotSendableException marked(String path, Object value) {
        return value instanceof TransferableBuffer
                ? new NotSendableException(
                        path,
                        value.getClass(),
                        "marked untransferable (Worker.markAsUntransferable): it never moves to another thread; fix:"
                                + " send a copy of its bytes (a byte[])")
                : new NotSendableException(
                        path,
                        value.getClass(),
                        "marked uncloneable (Worker.markAsUncloneable): it never crosses threads; fix: send a value"
                                + " built from it instead");
    }

    private static final class Clone {
        private final IdentityHashMap<Object, Object> seen = new IdentityHashMap<>();
        private final Set<Object> transfer; // the transfer list of a message, or null: every buffer moves
        private List<Object> moved = List.of(); // primitive arrays that go uncopied (TaskOptions.withMoved)
        private List<Object> sources;

        Clone(Set<Object> transfer) {
            this.transfer = transfer;
        }

        Object prepare(Object value, Plan plan, PathNode path, int depth) {
            if (depth > MAX_DEPTH) {
                throw new NotSendableException(
                        path.toString(),
                        value.getClass(),
                        "nested deeper than " + MAX_DEPTH + " levels: depth=" + depth
                                + "; fix: flatten the value (send ids or an array instead of a deep chain)");
            }
            Object done = seen.get(value);
            if (done == IN_PROGRESS) {
                throw new NotSendableException(
                        path.toString(),
                        value.getClass(),
                        "cycle through a record or immutable collection, which is built from its parts and so"
                                + " cannot be copied with the cycle; fix: break the cycle, or send ids instead of"
                                + " references");
            }
            if (done != null) {
                return done; // reached before: the receiver gets the same copy again (shape kept)
            }
            return switch (plan.kind) {
                case IMMUTABLE -> value;
                case PRIMITIVE_ARRAY -> remember(value, isMoved(value) ? value : copyPrimitiveArray(value));
                case OBJECT_ARRAY -> copyObjectArray((Object[]) value, path, depth);
                case RECORD -> built(value, () -> prepareRecord(value, plan.record, path, depth));
                case IMMUTABLE_LIST -> built(value, () -> prepareImmutableList((List<?>) value, path, depth));
                case IMMUTABLE_SET -> built(value, () -> prepareImmutableSet((Set<?>) value, path, depth));
                case IMMUTABLE_MAP -> built(value, () -> prepareImmutableMap((Map<?, ?>) value, path, depth));
                case MUTABLE_COLLECTION -> copyCollection((Collection<?>) value, plan, path, depth);
                case MUTABLE_MAP -> copyMap((Map<?, ?>) value, plan, path, depth);
                case TRANSFER -> handOver((TransferableBuffer) value, path);
                case TRANSFER_OTHER -> handOverOther(value, path);
                case REJECT -> throw new NotSendableException(path.toString(), value.getClass(), plan.reason);
            };
        }

        private boolean isMoved(Object array) {
            for (Object m : moved) {
                if (m == array) {
                    return true;
                }
            }
            return false;
        }

        private Object remember(Object original, Object copy) {
            seen.put(original, copy);
            return copy;
        }

        /** A value built from its parts once they are prepared: marked in progress so that a cycle back is seen. */
        private Object built(Object original, Supplier<Object> build) {
            seen.put(original, IN_PROGRESS);
            Object result = build.get();
            seen.put(original, result);
            return result;
        }

        private Object handOver(TransferableBuffer source, PathNode path) {
            if (source.isDetached()) {
                throw new NotSendableException(
                        path.toString(),
                        TransferableBuffer.class,
                        "the buffer was already transferred (detached); fix: send the handle transfer() returned");
            }
            if (transfer != null && !transfer.contains(source)) {
                throw new NotSendableException(
                        path.toString(),
                        TransferableBuffer.class,
                        "a buffer in a message moves only when the transfer list names it; fix: name it, as in"
                                + " postMessage(message, buffer)");
            }
            TransferableBuffer receiver = TransferAccess.steps().handOver(source);
            if (sources == null) {
                sources = new ArrayList<>(2);
            }
            sources.add(source);
            return remember(source, receiver);
        }

        private Object handOverOther(Object source, PathNode path) {
            TransferHandler handler = HANDLERS.get(source.getClass());
            if (handler.isDetached(source)) {
                throw new NotSendableException(
                        path.toString(),
                        source.getClass(),
                        "it was already transferred (detached); fix: send the handle its receiver got");
            }
            if (transfer == null || !transfer.contains(source)) {
                throw new NotSendableException(
                        path.toString(),
                        source.getClass(),
                        "it moves only when the transfer list names it; fix: name it, as in"
                                + " postMessage(message, port)");
            }
            Object receiver = handler.handOver(source);
            if (sources == null) {
                sources = new ArrayList<>(2);
            }
            sources.add(source);
            return remember(source, receiver);
        }

        /** Prepares a part of a container; its path segment is kept in parts and only formatted for an error. */
        private Object child(Object value, PathNode path, String field, Object key, int index, int depth) {
            if (value == null) {
                return null;
            }
            if (Marks.isMarked(value)) {
                throw marked(new PathNode(path, field, key, index).toString(), value);
            }
            Plan plan = PLANS.get(value.getClass());
            return plan.kind == Kind.IMMUTABLE
                    ? value
                    : prepare(value, plan, new PathNode(path, field, key, index), depth + 1);
        }

        private Object[] copyObjectArray(Object[] array, PathNode path, int depth) {
            Object[] copy = (Object[]) Array.newInstance(array.getClass().getComponentType(), array.length);
            remember(array, copy);
            for (int i = 0; i < array.length; i++) {
                copy[i] = child(array[i], path, null, null, i, depth);
            }
            return copy;
        }

        private Object prepareRecord(Object value, RecordPlan plan, PathNode path, int depth) {
            Object[] parts = new Object[plan.accessors.length];
            boolean changed = false;
            try {
                for (int i = 0; i < parts.length; i++) {
                    Object part = plan.accessors[i].invoke(value);
                    parts[i] = child(part, path, plan.names[i], null, -1, depth);
                    changed |= parts[i] != part;
                }
                return changed ? plan.constructor.invokeWithArguments(parts) : value;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("cannot copy record: path=" + path + ", type=" + value.getClass(), t);
            }
        }

        private Object prepareImmutableList(List<?> list, PathNode path, int depth) {
            Object[] parts = new Object[list.size()];
            boolean changed = false;
            for (int i = 0; i < parts.length; i++) {
                Object part = list.get(i);
                parts[i] = child(part, path, null, null, i, depth);
                changed |= parts[i] != part;
            }
            return changed ? List.of(parts) : list;
        }

        private Object prepareImmutableSet(Set<?> set, PathNode path, int depth) {
            List<Object> parts = new ArrayList<>(set.size());
            boolean changed = false;
            for (Object part : set) {
                Object prepared = child(part, path, null, part.getClass(), -1, depth);
                parts.add(prepared);
                changed |= prepared != part;
            }
            return changed ? Set.copyOf(parts) : set;
        }

        private Object prepareImmutableMap(Map<?, ?> map, PathNode path, int depth) {
            Map<Object, Object> parts = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object key = child(e.getKey(), path, "key", e.getKey(), -1, depth);
                Object val = child(e.getValue(), path, null, e.getKey(), -1, depth);
                changed |= key != e.getKey() || val != e.getValue();
                parts.put(key, val);
            }
            return changed ? Map.copyOf(parts) : map;
        }

        @SuppressWarnings("unchecked")
        private Object copyCollection(Collection<?> source, Plan plan, PathNode path, int depth) {
            Collection<Object> copy = (Collection<Object>) plan.factory.get();
            remember(source, copy);
            int i = 0;
            for (Object part : source) {
                copy.add(child(part, path, null, null, i++, depth));
            }
            return copy;
        }

        @SuppressWarnings("unchecked")
        private Object copyMap(Map<?, ?> source, Plan plan, PathNode path, int depth) {
            Map<Object, Object> copy = (Map<Object, Object>) plan.factory.get();
            remember(source, copy);
            for (Map.Entry<?, ?> e : source.entrySet()) {
                Object key = child(e.getKey(), path, "key", e.getKey(), -1, depth);
                copy.put(key, child(e.getValue(), path, null, e.getKey(), -1, depth));
            }
            return copy;
        }
    }

    /**
     * A copy by the array's own {@code clone()}, which the JIT compiles to one allocation without zeroing and one copy;
     * {@code Array.newInstance} with a component type known only at run time is a reflective call, and was most of the
     * loop's time per task when it sent 4 KiB inputs.
     */
    private static Object copyPrimitiveArray(Object array) {
        return switch (array) {
            case byte[] a -> a.clone();
            case int[] a -> a.clone();
            case long[] a -> a.clone();
            case double[] a -> a.clone();
            case char[] a -> a.clone();
            case float[] a -> a.clone();
            case short[] a -> a.clone();
            case boolean[] a -> a.clone();
            default ->
                throw new IllegalArgumentException(
                        "not a primitive array: " + array.getClass().getName());
        };
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
        if (HANDLERS.containsKey(type)) {
            return new Plan(Kind.TRANSFER_OTHER, null, null, null);
        }
        if (type.isRecord()) {
            return recordPlan(type);
        }
        String name = type.getName();
        if (name.startsWith("java.util.ImmutableCollections$")) {
            // Its lists, sets and maps; its iterators (ListItr, SetNIterator, MapNIterator) are none of the three and
            // fall through to the refusal below, as any other iterator does.
            Kind kind = List.class.isAssignableFrom(type)
                    ? Kind.IMMUTABLE_LIST
                    : Set.class.isAssignableFrom(type)
                            ? Kind.IMMUTABLE_SET
                            : Map.class.isAssignableFrom(type) ? Kind.IMMUTABLE_MAP : null;
            if (kind != null) {
                return new Plan(kind, null, null, null);
            }
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

    /**
     * A record with a component to copy is taken apart through its accessors and rebuilt through its canonical
     * constructor. A public record in an exported package is reached through the public lookup; any other needs its
     * package open to this module (on the class path every package is).
     */
    private static Plan recordPlan(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        String[] names = new String[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            types[i] = components[i].getType();
        }
        ReflectiveOperationException publicFailure;
        try {
            return recordPlan(MethodHandles.publicLookup(), type, components, names, types);
        } catch (ReflectiveOperationException e) {
            publicFailure = e;
        }
        try {
            Module self = Sendables.class.getModule();
            self.addReads(type.getModule()); // privateLookupIn needs this module to read the record's
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            return recordPlan(lookup, type, components, names, types);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Module module = type.getModule();
            String where = module.isNamed() ? "module " + module.getName() : "the unnamed module";
            return new Plan(
                    Kind.REJECT,
                    "record holds a value to copy but offload cannot reach its accessors and constructor ("
                            + publicFailure.getMessage() + "; " + e.getMessage() + "); fix: make the record public in a"
                            + " package that " + where + " exports, or add `opens " + type.getPackageName()
                            + " to dev.offload;` to " + where + "'s module-info, or build the pool with"
                            + " Isolation.TRUSTED",
                    null,
                    null);
        }
    }

    private static Plan recordPlan(
            MethodHandles.Lookup lookup, Class<?> type, RecordComponent[] components, String[] names, Class<?>[] types)
            throws ReflectiveOperationException {
        MethodHandle[] accessors = new MethodHandle[components.length];
        for (int i = 0; i < components.length; i++) {
            accessors[i] = lookup.unreflect(components[i].getAccessor());
        }
        MethodHandle constructor = lookup.unreflectConstructor(type.getDeclaredConstructor(types));
        return new Plan(Kind.RECORD, null, new RecordPlan(names, accessors, constructor), null);
    }

    /** Whether every instance of {@code type} is deeply immutable (or shared on purpose), judged from the type. */
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
        private static final int SHOWN = 16; // segments kept at each end of a long path

        @Override
        public String toString() {
            ArrayDeque<String> segments = new ArrayDeque<>();
            for (PathNode n = this; n != null; n = n.parent) {
                segments.addFirst(n.segment());
            }
            StringBuilder out = new StringBuilder();
            int i = 0;
            int total = segments.size();
            for (String s : segments) {
                if (i == SHOWN && total > 2 * SHOWN) {
                    out.append("...(").append(total - 2 * SHOWN).append(" more)...");
                } else if (i < SHOWN || i >= total - SHOWN) {
                    out.append(s);
                }
                i++;
            }
            return out.toString();
        }

        private String segment() {
            if (field != null && key != null) {
                return "." + field + "(" + describe(key) + ")"; // a map key itself
            } else if (field != null) {
                return parent == null ? field : "." + field;
            } else if (key instanceof Class<?> elementType) {
                return "{" + elementType.getSimpleName() + "}"; // a set element
            } else {
                return "[" + (key != null ? describe(key) : index) + "]";
            }
        }

        /** A map key as shown in a path: short values as they are, anything else by type (never a deep toString). */
        private static String describe(Object key) {
            if (key instanceof String
                    || key instanceof Number
                    || key instanceof Enum<?>
                    || key instanceof Character
                    || key instanceof Boolean) {
                String text = key.toString();
                return text.length() <= 40 ? text : text.substring(0, 40) + "...";
            }
            return "a " + key.getClass().getSimpleName();
        }
    }
}
