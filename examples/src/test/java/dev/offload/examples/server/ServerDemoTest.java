package dev.offload.examples.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.PoolState;
import dev.offload.examples.Output;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The main example with short settings; what it measures is not asserted (speed belongs to JMH), what it did is. */
class ServerDemoTest {
    private static final ServerDemo.Settings SHORT = new ServerDemo.Settings(Duration.ofMillis(1500), 2, 100, 2, 2_000);

    @Test
    void run_drivesTheThreeModes_printsTheTable_andLeavesNothingRunning() throws Exception {
        ServerDemo.Report[] report = new ServerDemo.Report[1];
        String out = Output.of(o -> {
            report[0] = ServerDemo.run(SHORT, o);
            ServerDemo.print(report[0], SHORT, o);
        });

        for (ServerDemo.Mode mode : List.of(report[0].inline(), report[0].offloaded(), report[0].faults())) {
            assertTrue(mode.load().ping().count() > 0, mode.name() + ": no ping answered");
            assertTrue(mode.load().computed() > 0, mode.name() + ": no hash answered");
        }
        assertEquals(null, report[0].inline().pool());
        assertEquals(
                0,
                report[0].inline().load().failures()
                        + report[0].offloaded().load().failures());
        assertTrue(report[0].offloaded().pool().completed() > 0);

        // Faults at 0.25 s (a crash), 0.75 s (a hang) and 1.25 s (a crash): each answered as it should be, the pool
        // still up. (A client descheduled past a fault's time sends fewer: the counts are checked against each other.)
        ServerDemo.Mode faults = report[0].faults();
        assertTrue(faults.load().crashes500() >= 1, "crash requests answered 500");
        assertTrue(faults.load().hangs504() >= 1, "hang requests answered 504");
        assertEquals(0, faults.load().failures(), "requests of the faults mode answered otherwise");
        assertEquals(faults.load().crashes500(), faults.pool().workerCrashes());
        assertEquals(faults.load().hangs504(), faults.pool().workersAbandoned());
        assertEquals(PoolState.RUNNING, faults.pool().state());
        assertEquals(2, faults.pool().workers());

        for (String line : List.of(
                "mode                          p50        p99        max       hashes/s      busy",
                "offloading: /ping p99 ",
                "pool                  tasks done    run p50    run p99   wait p50   wait p99   workers busy",
                "faults: " + faults.load().crashes500() + " requests crashed their worker (answered 500), "
                        + faults.load().hangs504() + " hung past their 250 ms limit",
                "each replaced: the pool ended RUNNING with 2 workers.")) {
            assertTrue(out.contains(line), "missing: " + line);
        }
        assertTrue(out.contains("  inline on the loop       [##############################] "), out);
        Output.awaitNoThreads(
                Duration.ofSeconds(5), "http-loop", "load-", "offload-pool-", "compute-", "HTTP-Dispatcher");
    }

    @Test
    void serve_answersEveryEndpoint_andSurvivesAFault() throws Exception {
        try (ServerDemo.Serving serving = ServerDemo.Serving.start(SHORT, 0);
                HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + serving.port();

            assertEquals("200 pong", get(client, base + "/ping"));
            assertEquals(
                    "200 " + dev.offload.examples.Passwords.hash("hunter2", SHORT.rounds()),
                    get(client, base + "/compute?password=hunter2"));
            assertTrue(get(client, base + "/compute?fault=crash").startsWith("500 worker "));
            assertEquals("504 timed out after 2000 ms", get(client, base + "/compute?fault=hang"));
            assertEquals("400 unknown fault: fault=typo; use crash or hang", get(client, base + "/compute?fault=typo"));
            assertTrue(get(client, base + "/nope").startsWith("404 endpoints: /ping"));
            String stats = get(client, base + "/stats");
            assertTrue(stats.startsWith("200 loop http-loop: utilization "), stats);
            for (long end = System.nanoTime() + 5_000_000_000L;
                    !stats.contains("workers: 1 crashed, 1 restarted, 1 abandoned") && System.nanoTime() < end; ) {
                Thread.sleep(20); // the supervisor counts a crash and an abandonment just after the answer
                stats = get(client, base + "/stats");
            }
            assertTrue(stats.contains("workers: 1 crashed, 1 restarted, 1 abandoned"), stats);
            assertEquals("200 pong", get(client, base + "/ping"));
        }
        Output.awaitNoThreads(Duration.ofSeconds(5), "http-loop", "compute-", "HTTP-Dispatcher");
    }

    @Test
    void inlineMode_refusesFaults_insteadOfCrashingTheLoop() throws Exception {
        dev.offload.EventLoop loop = dev.offload.EventLoop.start("http-loop");
        try (loop;
                ComputeServer server = ComputeServer.start(
                        loop, new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 100);
                HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port();

            assertTrue(get(client, base + "/compute?fault=crash").startsWith("400 faults run only offloaded"));
            assertEquals(
                    "200 " + dev.offload.examples.Passwords.hash("x", 100), get(client, base + "/compute?password=x"));
            assertTrue(get(client, base + "/stats").contains("/compute runs inline on the loop"));
        }
    }

    private static String get(HttpClient client, String url) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body().strip();
    }
}
