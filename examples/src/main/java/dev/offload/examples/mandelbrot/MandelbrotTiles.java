package dev.offload.examples.mandelbrot;

import dev.offload.EventLoop;
import dev.offload.WorkerPool;
import dev.offload.examples.CommandLine;
import dev.offload.shm.IntArray;
import dev.offload.shm.SharedBuffer;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;

/**
 * Shared memory on purpose: workers render the tiles of a Mandelbrot image straight into one {@link SharedBuffer},
 * with no copy on the way back, and the event loop writes the PNG once the last tile is in. The same image rendered by
 * one thread gives the speedup, and the two must agree pixel for pixel.
 *
 * <p>A {@link Tile} is a record of an {@link IntArray} view and numbers, so it crosses to a worker by reference: the
 * view is shared on purpose, the numbers are immutable. Each tile writes only its own pixels with plain stores; the
 * pool's rule that a task's actions happen-before its future completes is what makes them visible to the loop.
 *
 * <p>Run: {@code mvn -B -q -pl examples -am -DskipTests package exec:exec -Dexample=mandelbrot}
 */
public final class MandelbrotTiles {
    /**
     * One tile to render: where it is and where to write it.
     *
     * @param pixels the whole image, ARGB, row after row; shared by every tile
     * @param width the image's width
     * @param height the image's height
     * @param x the tile's left column
     * @param y the tile's top row
     * @param size the tile's width and height (clipped at the image's edge)
     * @param maxIterations the iteration limit per pixel
     */
    public record Tile(IntArray pixels, int width, int height, int x, int y, int size, int maxIterations) {}

    /**
     * What a run measured.
     *
     * @param tiles how many tiles
     * @param oneThread rendering every tile on one thread
     * @param pooled rendering them on the pool, from the first submit to the last tile back on the loop
     * @param samePixels whether both renderings agree pixel for pixel
     * @param png where the image was written
     */
    public record Result(int tiles, Duration oneThread, Duration pooled, boolean samePixels, Path png) {}

    private MandelbrotTiles() {}

    /**
     * Runs the example.
     *
     * @param args options, see {@code --help}
     * @throws Exception if the image cannot be written
     */
    public static void main(String[] args) throws Exception {
        CommandLine line = CommandLine.of("mandelbrot")
                .option("width", "1200", "image width in pixels")
                .option("height", "800", "image height in pixels")
                .option("tile", "100", "tile width and height")
                .option("iterations", "1000", "iteration limit per pixel")
                .option("workers", String.valueOf(Runtime.getRuntime().availableProcessors()), "pool size")
                .option("out", "target/mandelbrot.png", "the PNG to write")
                .parse(args);
        if (line.helpWanted()) {
            System.out.print(line.help());
            return;
        }
        run(
                line.integer("width", 16),
                line.integer("height", 16),
                line.integer("tile", 8),
                line.integer("iterations", 1),
                line.integer("workers", 1),
                Path.of(line.string("out")),
                System.out);
    }

    /**
     * Renders the image on one thread, then on a pool, writes the PNG and prints the comparison.
     *
     * @param width image width
     * @param height image height
     * @param tileSize tile width and height
     * @param maxIterations iteration limit per pixel
     * @param workers pool size
     * @param png where to write the image
     * @param out where to print
     * @return what was measured
     * @throws Exception if the image cannot be written or a tile fails
     */
    public static Result run(
            int width, int height, int tileSize, int maxIterations, int workers, Path png, PrintStream out)
            throws Exception {
        IntArray single = SharedBuffer.allocate(4L * width * height).asIntArray();
        IntArray shared = SharedBuffer.allocate(4L * width * height).asIntArray();
        List<Tile> singleTiles = tiles(single, width, height, tileSize, maxIterations);
        List<Tile> sharedTiles = tiles(shared, width, height, tileSize, maxIterations);
        out.printf(
                Locale.ROOT,
                "Mandelbrot set, %d x %d pixels, up to %,d iterations each, in %d tiles of %d x %d%n",
                width,
                height,
                maxIterations,
                sharedTiles.size(),
                tileSize,
                tileSize);

        renderAll(singleTiles); // once untimed, so that both timings run compiled code
        long start = System.nanoTime();
        renderAll(singleTiles);
        Duration oneThread = Duration.ofNanos(System.nanoTime() - start);

        CompletableFuture<Duration> pooled = new CompletableFuture<>();
        try (WorkerPool pool = WorkerPool.create(workers);
                EventLoop loop = EventLoop.start("image-loop")) {
            pool.submit(MandelbrotTiles::render, sharedTiles.getFirst()).join(); // warm the pool's path too
            loop.execute(() -> {
                long t0 = System.nanoTime();
                int[] left = {sharedTiles.size()}; // loop thread only: no lock, no atomic
                for (Tile tile : sharedTiles) {
                    pool.submit(MandelbrotTiles::render, tile).whenComplete((ignored, failure) -> {
                        if (failure != null) {
                            pooled.completeExceptionally(failure);
                        } else if (--left[0] == 0) {
                            Duration took = Duration.ofNanos(System.nanoTime() - t0);
                            writePng(shared, width, height, png); // a one-off at the end; a server would offload it
                            pooled.complete(took);
                        }
                    });
                }
            });
            pooled.join();
        }
        boolean same = samePixels(single, shared);
        Result result = new Result(sharedTiles.size(), oneThread, pooled.join(), same, png);
        out.printf(Locale.ROOT, "one thread:   %,8d ms%n", oneThread.toMillis());
        out.printf(
                Locale.ROOT,
                "%d workers:    %,8d ms, every tile written straight into one SharedBuffer%n",
                workers,
                result.pooled().toMillis());
        out.printf(
                Locale.ROOT,
                "speedup:      %8.2fx on %d cores%n",
                (double) oneThread.toNanos() / Math.max(1, result.pooled().toNanos()),
                Runtime.getRuntime().availableProcessors());
        out.println("same pixels:  " + (same ? "yes" : "NO"));
        out.println("wrote " + png.toAbsolutePath().normalize());
        return result;
    }

    /**
     * Renders one tile into the shared image. Runs on a worker.
     *
     * @param tile the tile
     * @return the number of pixels written
     */
    public static Integer render(Tile tile) {
        int xEnd = Math.min(tile.x() + tile.size(), tile.width());
        int yEnd = Math.min(tile.y() + tile.size(), tile.height());
        double scale = 3.0 / tile.width();
        for (int py = tile.y(); py < yEnd; py++) {
            double ci = (py - tile.height() / 2.0) * scale;
            for (int px = tile.x(); px < xEnd; px++) {
                double cr = (px - tile.width() * 2.0 / 3.0) * scale;
                tile.pixels().set((long) py * tile.width() + px, color(iterations(cr, ci, tile.maxIterations()), tile));
            }
        }
        return (xEnd - tile.x()) * (yEnd - tile.y());
    }

    private static int iterations(double cr, double ci, int max) {
        double zr = 0;
        double zi = 0;
        int n = 0;
        while (n < max && zr * zr + zi * zi <= 4) {
            double t = zr * zr - zi * zi + cr;
            zi = 2 * zr * zi + ci;
            zr = t;
            n++;
        }
        return n;
    }

    private static int color(int n, Tile tile) {
        if (n >= tile.maxIterations()) {
            return 0xFF000000;
        }
        double t = Math.sqrt((double) n / tile.maxIterations());
        int r = (int) (9 * (1 - t) * t * t * t * 255);
        int g = (int) (15 * (1 - t) * (1 - t) * t * t * 255);
        int b = (int) (8.5 * (1 - t) * (1 - t) * (1 - t) * t * 255);
        return 0xFF000000 | (Math.min(255, r) << 16) | (Math.min(255, g) << 8) | Math.min(255, b);
    }

    private static List<Tile> tiles(IntArray pixels, int width, int height, int size, int maxIterations) {
        List<Tile> tiles = new ArrayList<>();
        for (int y = 0; y < height; y += size) {
            for (int x = 0; x < width; x += size) {
                tiles.add(new Tile(pixels, width, height, x, y, size, maxIterations));
            }
        }
        return tiles;
    }

    private static void renderAll(List<Tile> tiles) {
        for (Tile tile : tiles) {
            render(tile);
        }
    }

    private static boolean samePixels(IntArray a, IntArray b) {
        for (long i = 0; i < a.length(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static void writePng(IntArray pixels, int width, int height, Path png) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] data = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        pixels.copyTo(0, data, 0, data.length);
        try {
            Path dir = png.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IOException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image: png=" + png, e);
        }
    }
}
