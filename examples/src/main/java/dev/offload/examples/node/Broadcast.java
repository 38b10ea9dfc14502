package dev.offload.examples.node;

import dev.offload.BroadcastChannel;
import dev.offload.EventLoop;
import dev.offload.MessagePort;
import dev.offload.Worker;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The example of Node's {@code BroadcastChannel} documentation: the main thread opens channel {@code "hello"} and
 * starts ten workers; each opens the same channel, posts one message and closes it; the main thread closes its
 * channel after ten messages.
 *
 * <pre>{@code
 * const bc = new BroadcastChannel('hello');
 * if (isMainThread) {
 *   let c = 0;
 *   bc.onmessage = (event) => {
 *     console.log(event.data);
 *     if (++c === 10) bc.close();
 *   };
 *   for (let n = 0; n < 10; n++) new Worker(__filename);
 * } else {
 *   bc.postMessage('hello from every worker');
 *   bc.close();
 * }
 * }</pre>
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=broadcast}
 */
public final class Broadcast {
    private Broadcast() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception if the ten messages do not arrive within 10 s
     */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /**
     * Runs the example and prints each message the main loop received, then how many.
     *
     * @param out where to print
     * @throws Exception if the ten messages do not arrive within 10 s
     */
    public static void run(PrintStream out) throws Exception {
        try (EventLoop main = EventLoop.start("main")) {
            CompletableFuture<List<Object>> received = new CompletableFuture<>();
            main.execute(() -> {
                BroadcastChannel bc = new BroadcastChannel("hello");
                List<Object> messages = new ArrayList<>();
                bc.onMessage(message -> {
                    out.println(message);
                    messages.add(message);
                    if (messages.size() == 10) {
                        bc.close();
                        received.complete(messages);
                    }
                });
                for (int n = 0; n < 10; n++) {
                    Worker.start(Broadcast::worker, null);
                }
            });
            out.println(received.get(10, TimeUnit.SECONDS).size() + " messages, then closed");
        }
    }

    /** Each worker: one message on the channel, then close it; nothing is left, so the worker ends. */
    static void worker(MessagePort parentPort, Object workerData) {
        BroadcastChannel bc = new BroadcastChannel("hello");
        bc.postMessage("hello from every worker");
        bc.close();
    }
}
