package dev.offload.examples.node;

import dev.offload.EventLoop;
import dev.offload.MessageChannel;
import dev.offload.MessagePort;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The two examples of Node's {@code MessageChannel} and {@code port.close()} documentation, between two event loops:
 *
 * <pre>{@code
 * const { port1, port2 } = new MessageChannel();
 * port1.on('message', (message) => console.log('received', message));
 * port2.postMessage({ foo: 'bar' });
 * // Prints: received { foo: 'bar' }
 *
 * port2.on('message', (message) => console.log(message));
 * port2.on('close', () => console.log('closed!'));
 * port1.postMessage('foobar');
 * port1.close();
 * // Prints: foobar, closed!
 * }</pre>
 *
 * In Node both ends live on one thread; here each port belongs to the event loop that first uses it, so a message
 * really crosses between two threads, and every handler runs on its own port's loop.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=channel}
 */
public final class Channel {
    private Channel() {}

    /**
     * Runs the example.
     *
     * @param args ignored
     * @throws Exception if a step does not finish within 10 s
     */
    public static void main(String[] args) throws Exception {
        run(System.out);
    }

    /**
     * Runs both examples and prints what the handlers received, and on which loop.
     *
     * @param out where to print
     * @throws Exception if a step does not finish within 10 s
     */
    public static void run(PrintStream out) throws Exception {
        try (EventLoop main = EventLoop.start("main");
                EventLoop other = EventLoop.start("other")) {
            // region channel
            MessageChannel channel = new MessageChannel();
            MessagePort port1 = channel.port1();
            MessagePort port2 = channel.port2();
            CompletableFuture<Object> received = new CompletableFuture<>();
            main.execute(() -> port1.onMessage(message -> {
                out.println(
                        "received " + message + " on " + Thread.currentThread().getName());
                received.complete(message);
            }));
            other.execute(() -> port2.postMessage(Map.of("foo", "bar")));
            // endregion
            received.get(10, TimeUnit.SECONDS);

            MessageChannel second = new MessageChannel();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            other.execute(() -> {
                second.port2().onMessage(out::println);
                second.port2().onClose(() -> {
                    out.println("closed!");
                    closed.complete(null);
                });
            });
            main.execute(() -> {
                second.port1().postMessage("foobar");
                second.port1().close();
            });
            closed.get(10, TimeUnit.SECONDS);
        }
    }
}
