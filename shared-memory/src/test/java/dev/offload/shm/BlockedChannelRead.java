package dev.offload.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A platform thread blocked in a read from an empty pipe into a buffer's {@link SharedBuffer#asByteBuffer()}: for as
 * long as the read runs, NIO holds the buffer's memory acquired, as it does for any channel I/O on a direct buffer
 * over a memory segment, and the JDK refuses to free it. {@link #finish(byte)} lets the read complete; close ends it
 * if the test failed first.
 */
final class BlockedChannelRead implements AutoCloseable {
    private final Pipe pipe;
    private final Thread reader;
    private final CompletableFuture<Integer> bytesRead = new CompletableFuture<>();

    private BlockedChannelRead(Pipe pipe, ByteBuffer target) {
        this.pipe = pipe;
        this.reader = Thread.ofPlatform().daemon().name("blocked-channel-read").start(() -> {
            try {
                bytesRead.complete(pipe.source().read(target));
            } catch (Throwable t) {
                bytesRead.completeExceptionally(t);
            }
        });
    }

    /** Starts a read into the first byte of {@code buffer} and returns once it holds the memory (10 s at most). */
    static BlockedChannelRead into(SharedBuffer buffer) throws IOException, InterruptedException {
        BlockedChannelRead read = new BlockedChannelRead(Pipe.open(), buffer.asByteBuffer());
        read.awaitInNativeRead();
        return read;
    }

    /**
     * Waits until the reader runs the native read. NIO acquires the memory just before that call (in
     * {@code sun.nio.ch.IOUtil}) and releases it just after, and a platform thread in a native call stays RUNNABLE, so
     * its stack is the only sign that the read is in progress.
     */
    private void awaitInNativeRead() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            StackTraceElement[] stack = reader.getStackTrace();
            boolean inNativeRead = stack.length > 0
                    && stack[0].isNativeMethod()
                    && Arrays.stream(stack)
                            .anyMatch(frame -> frame.getClassName().equals("sun.nio.ch.IOUtil"));
            if (inNativeRead) {
                return;
            }
            if (bytesRead.isDone() || System.nanoTime() > deadline) {
                fail("the pipe read did not block in native code within 10 s: done=" + bytesRead.isDone() + ", stack="
                        + Arrays.toString(stack));
            }
            Thread.sleep(1);
        }
    }

    /** Writes {@code value} into the pipe and waits (10 s at most) until the read returned with it. */
    void finish(byte value) throws Exception {
        pipe.sink().write(ByteBuffer.wrap(new byte[] {value}));
        assertEquals(1, bytesRead.get(10, TimeUnit.SECONDS), "bytes read");
    }

    /** Closes the pipe, which ends a read still blocked (with AsynchronousCloseException), and joins the reader. */
    @Override
    public void close() throws IOException {
        pipe.sink().close();
        pipe.source().close();
        try {
            if (!reader.join(Duration.ofSeconds(10))) {
                fail("the pipe reader did not end within 10 s of closing the pipe");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while joining the pipe reader", e);
        }
    }
}
