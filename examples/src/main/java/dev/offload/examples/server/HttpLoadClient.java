package dev.offload.examples.server;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection of the load generator: sends a {@code GET}, reads the whole response, returns
 * its status. A few lines of socket code instead of {@code java.net.http.HttpClient}, whose own threads would compete
 * for the cores the server is measured on.
 *
 * <p>Owner thread only.
 */
final class HttpLoadClient implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 10_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final byte[] body = new byte[4096];

    HttpLoadClient(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(TIMEOUT_MILLIS); // a stalled server fails the client instead of hanging it
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    /**
     * Sends {@code GET target} and reads the response.
     *
     * @param target the path and query, such as {@code /ping}
     * @return the response's status code
     * @throws IOException if the connection fails or the response is malformed
     */
    int get(String target) throws IOException {
        out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("malformed status line: line=" + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(
                        lower.substring("content-length:".length()).trim());
            }
        }
        if (length < 0) {
            throw new IOException("response without Content-Length: target=" + target);
        }
        for (long left = length; left > 0; ) {
            int n = in.read(body, 0, (int) Math.min(body.length, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a response body: target=" + target);
            }
            left -= n;
        }
        return status;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
