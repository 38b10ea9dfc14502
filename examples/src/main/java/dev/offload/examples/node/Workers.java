package dev.offload.examples.node;

import dev.offload.EventLoop;
import dev.offload.MessageChannel;
import dev.offload.MessagePort;
import dev.offload.Worker;
import dev.offload.shm.Atomics;
import dev.offload.shm.IntArray;
import dev.offload.shm.SharedBuffer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Three uses of Node's {@code Worker} from its documentation and guides, with offload's {@link Worker}:
 *
 * <ul>
 *   <li>The {@code worker_threads} opening example: {@code parseJSAsync(script)} starts a worker with the script as
 *       {@code workerData}; the worker posts the parsed result; the parent resolves on {@code 'message'}, rejects on
 *       {@code 'error'} or an exit code other than 0.
 *   <li>A worker that sums a {@code SharedArrayBuffer} and signals with {@code Atomics.notify}, while the parent waits
 *       with {@code Atomics.waitAsync} (its loop never blocks). Here a {@link SharedBuffer}.
 *   <li>The compute worker of the {@code child_process.fork} guides: it waits for {@code 'start'}, posts the sum back,
 *       and the parent terminates it.
 *   <li>The {@code port.postMessage} example: the parent hands one port of a new {@code MessageChannel} to a worker
 *       inside a message ({@code { hereIsYourPort: port1 }}, transferred); the worker answers through it and closes
 *       it.
 * </ul>
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=workers}
 */
public final class Workers {
    private Workers() {}

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
     * Runs the three workers and prints what the parent saw.
     *
     * @param out where to print
     * @throws Exception if a step does not finish within 10 s
     */
    public static void run(PrintStream out) throws Exception {
        try (EventLoop main = EventLoop.start("main")) {
            CompletableFuture<Object> parsed = new CompletableFuture<>();
            main.execute(() -> parseAsync("a = 1; b = 22").whenComplete((v, t) -> {
                if (t != null) {
                    parsed.completeExceptionally(t);
                } else {
                    parsed.complete(v);
                }
            }));
            out.println("parsed: " + parsed.get(10, TimeUnit.SECONDS));

            SharedBuffer shared = SharedBuffer.allocate(4 * 1001);
            IntArray cells = shared.asIntArray();
            for (int i = 1; i <= 1000; i++) {
                cells.set(i, i);
            }
            CompletableFuture<String> summed = new CompletableFuture<>();
            main.execute(() -> {
                Worker.start(Workers::sumShared, shared);
                // cell 0 is 0 until the worker stores the sum there and notifies: the loop waits without blocking
                Atomics.waitAsync(cells, 0, 0, Duration.ofSeconds(10))
                        .thenAccept(result -> summed.complete(result + ", sum in cell 0: " + Atomics.load(cells, 0)));
            });
            out.println("shared: " + summed.get(10, TimeUnit.SECONDS));

            CompletableFuture<String> computed = new CompletableFuture<>();
            main.execute(() -> {
                Worker compute = Worker.start(Workers::compute, null);
                compute.onMessage(
                        sum -> compute.terminate().thenAccept(code -> computed.complete(sum + ", exit " + code)));
                compute.postMessage("start");
            });
            out.println("computed: " + computed.get(10, TimeUnit.SECONDS));

            CompletableFuture<Object> viaPort = new CompletableFuture<>();
            main.execute(() -> {
                Worker worker = Worker.start(Workers::answerOnPort, null);
                MessageChannel channel = new MessageChannel();
                channel.port2().onMessage(viaPort::complete);
                worker.postMessage(Map.of("hereIsYourPort", channel.port1()), channel.port1());
            });
            out.println("received: " + viaPort.get(10, TimeUnit.SECONDS));
        }
    }

    // region parse-async-worker
    /** Parent side: a future of what the worker parses; on an event loop. */
    static CompletableFuture<Object> parseAsync(String script) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Worker.start(Workers::parse, script)
                .onMessage(result::complete)
                .onError(result::completeExceptionally)
                .onExit(code -> {
                    if (code != 0) {
                        result.completeExceptionally(
                                new IllegalStateException("Worker stopped with exit code " + code));
                    }
                });
        return result;
    }

    /** Worker side: parses its workerData and posts the result. */
    static void parse(MessagePort parentPort, Object workerData) {
        String script = (String) workerData;
        parentPort.postMessage(script.split(";\\s*").length + " statements");
    }
    // endregion

    /** Sums cells 1..1000 of the shared buffer into cell 0 and wakes whoever waits on it. */
    static void sumShared(MessagePort parentPort, Object workerData) {
        IntArray cells = ((SharedBuffer) workerData).asIntArray();
        int sum = 0;
        for (int i = 1; i < cells.length(); i++) {
            sum += cells.get(i);
        }
        Atomics.store(cells, 0, sum);
        Atomics.notify(cells, 0);
    }

    /** Takes the port it was handed, answers through it, closes it; then nothing is left and the worker ends. */
    static void answerOnPort(MessagePort parentPort, Object workerData) {
        parentPort.onMessage(value -> {
            MessagePort port = (MessagePort) ((Map<?, ?>) value).get("hereIsYourPort");
            port.postMessage("the worker is sending this");
            port.close();
            parentPort.close();
        });
    }

    /** Waits for "start", then posts the sum of 1..1e6 back; stays until terminated. */
    static void compute(MessagePort parentPort, Object workerData) {
        parentPort.onMessage(message -> {
            if ("start".equals(message)) {
                long sum = 0;
                for (int i = 1; i <= 1_000_000; i++) {
                    sum += i;
                }
                parentPort.postMessage(sum);
            }
        });
    }
}
