package dev.offload.examples.mandelbrot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.offload.examples.Output;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MandelbrotTilesTest {
    @Test
    void run_rendersTheSamePixelsAsOneThread_andWritesThePng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("out/m.png");
        MandelbrotTiles.Result[] result = new MandelbrotTiles.Result[1];
        List<String> lines =
                Output.lines(Output.of(o -> result[0] = MandelbrotTiles.run(150, 100, 40, 200, 2, png, o)));

        assertTrue(result[0].samePixels());
        assertEquals(12, result[0].tiles()); // 4 columns of tiles (the last clipped) x 3 rows
        assertEquals(
                "Mandelbrot set, 150 x 100 pixels, up to 200 iterations each, in 12 tiles of 40 x 40", lines.get(0));
        assertTrue(lines.get(3).startsWith("speedup: "), lines.get(3));
        assertEquals("same pixels:  yes", lines.get(4));
        assertEquals("wrote " + png.toAbsolutePath().normalize(), lines.get(5));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(150, image.getWidth());
        assertEquals(100, image.getHeight());
        assertEquals(0xFF000000, image.getRGB(100, 50)); // inside the set: black
        Output.awaitNoThreads(Duration.ofSeconds(5), "image-loop", "offload-pool-");
    }

    @Test
    void main_printsItsOptions_onHelp() throws Exception {
        String out = Output.of(o -> MandelbrotTiles.main(new String[] {"--help"}));

        assertTrue(out.startsWith("options of mandelbrot"), out);
        assertTrue(out.contains("--iterations 1000"), out);
    }
}
