package dev.offload.examples.node;

import dev.offload.NotSendableException;
import dev.offload.WorkerPool;
import dev.offload.shm.SharedBuffer;
import dev.offload.shm.TransferableBuffer;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The value rules of Node's {@code port.postMessage(value, transferList)}, as they apply to a task's input, each one
 * from an example in that method's documentation.
 *
 * <ul>
 *   <li>A typed array is copied: the sender may change its own afterwards and the receiver never sees it. Here a
 *       {@code byte[]}.
 *   <li>An {@code ArrayBuffer} in the transfer list is moved: no copy, and the sender's is unusable afterwards. Here a
 *       {@link TransferableBuffer}, detached at submit.
 *   <li>A {@code SharedArrayBuffer} is shared: both sides see each other's writes. Here a {@link SharedBuffer}.
 *   <li>Circular data arrives circular. Here a {@code HashMap} that holds itself.
 *   <li>An instance of a class is cloned as a plain object, its class and private fields lost. Here the JVM differs on
 *       purpose: a mutable class is refused at submit with {@link NotSendableException} naming the path and the fix,
 *       and a record of immutable values goes by reference, class and all.
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=post-message}
 */
public final class PostMessage {
    /** A mutable class: Node would clone it as a plain object; offload refuses it. */
    static final class Foo {
        int c = 3;
    }

    /**
     * An immutable value: crosses by reference, as itself.
     *
     * @param c a number
     */
    record Bar(int c) {}

    private PostMessage() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        run(System.out);
    }

    /**
     * Sends each kind of value to a worker and prints what each side saw.
     *
     * @param out where to print
     */
    public static void run(PrintStream out) {
        try (WorkerPool pool = WorkerPool.create(1)) {
            byte[] bytes = {1, 2, 3, 4};
            var copied = pool.submit(PostMessage::describeLater, bytes);
            bytes[0] = 99; // after the submit: the worker has its own copy
            out.println(
                    "copied:      the worker saw " + copied.join() + ", the sender now has " + Arrays.toString(bytes));

            TransferableBuffer buffer = TransferableBuffer.allocate(4);
            buffer.setInt(0, 42);
            var moved = pool.submit(b -> b.getInt(0), buffer);
            out.println("transferred: the worker read " + moved.join() + "; the sender's handle is detached: "
                    + buffer.isDetached() + " (any use throws IllegalStateException)");

            SharedBuffer shared = SharedBuffer.allocate(4);
            pool.submit(
                            s -> {
                                s.asIntArray().set(0, 7);
                                return null;
                            },
                            shared)
                    .join();
            out.println("shared:      the worker wrote 7, the sender reads "
                    + shared.asIntArray().get(0));

            Map<String, Object> circular = new HashMap<>();
            circular.put("foo", circular);
            var cycle = pool.submit(m -> m.get("foo") == m, circular);
            out.println("circular:    copy.get(\"foo\") == copy on the worker: " + cycle.join());

            try {
                pool.submit(f -> f.c, new Foo());
            } catch (NotSendableException e) {
                out.println("class Foo:   refused at submit: path=" + e.path() + ", type="
                        + e.typeName().substring(e.typeName().lastIndexOf('.') + 1));
            }
            Bar bar = new Bar(3);
            var record = pool.submit(b -> b, bar); // the worker returns what it received
            out.println("record Bar:  crosses by reference both ways, the very same object: " + (record.join() == bar));
        }
    }

    /**
     * Waits a little before reading its input, so that the sender's change would show if the input were shared.
     *
     * @param bytes the input
     * @return the input as text
     * @throws InterruptedException if cancelled
     */
    static String describeLater(byte[] bytes) throws InterruptedException {
        Thread.sleep(50);
        return Arrays.toString(bytes);
    }
}
