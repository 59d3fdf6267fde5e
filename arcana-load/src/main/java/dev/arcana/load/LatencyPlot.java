package dev.arcana.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A PNG of the latency distributions: one curve per scenario run, latency (log scale, ms) against
 * the share of commit → frame deliveries at or below it. Drawn with java.awt, headless.
 */
final class LatencyPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 260;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf)};

    private LatencyPlot() {
    }

    static void write(Path file, String title, List<ScenarioResult> results) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double minMs = 0.1;
        double maxMs = 100_000;
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        g.setColor(new Color(0xdddddd));
        for (double ms = minMs; ms <= maxMs; ms *= 10) {
            int x = LEFT + (int) (plotW * Math.log10(ms / minMs) / Math.log10(maxMs / minMs));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.DARK_GRAY);
            g.drawString(ms < 1 ? String.valueOf(ms) : String.valueOf((long) ms), x - 8, TOP + plotH + 16);
            g.setColor(new Color(0xdddddd));
        }
        for (int pct = 0; pct <= 100; pct += 25) {
            int y = TOP + plotH - plotH * pct / 100;
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(pct + " %", LEFT - 40, y + 4);
            g.setColor(new Color(0xdddddd));
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        g.drawString("commit → frame latency (ms, log scale)", LEFT + plotW / 2 - 110, HEIGHT - 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, TOP - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(2f));
        int legend = 0;
        for (int i = 0; i < results.size(); i++) {
            ScenarioResult r = results.get(i);
            long[] sorted = r.latenciesMicros();
            if (sorted.length == 0) {
                continue;
            }
            g.setColor(COLORS[i % COLORS.length]);
            int prevX = -1;
            int prevY = -1;
            int steps = Math.min(sorted.length, 2_000);
            for (int k = 1; k <= steps; k++) {
                int index = (int) ((long) k * sorted.length / steps) - 1;
                double ms = Math.min(maxMs, Math.max(minMs, sorted[index] / 1000.0));
                int x = LEFT + (int) (plotW * Math.log10(ms / minMs) / Math.log10(maxMs / minMs));
                int y = TOP + plotH - (int) (plotH * (index + 1) / (double) sorted.length);
                if (prevX >= 0) {
                    g.drawLine(prevX, prevY, x, y);
                }
                prevX = x;
                prevY = y;
            }
            int ly = TOP + 10 + legend * 36;
            g.drawLine(WIDTH - RIGHT + 15, ly, WIDTH - RIGHT + 40, ly);
            g.setColor(Color.BLACK);
            g.drawString(r.scenario().name() + " / " + r.label(), WIDTH - RIGHT + 48, ly + 4);
            g.drawString(String.format(Locale.ROOT, "p50 %s, p99 %s", ScenarioRunner.ms(r.percentileMicros(50)),
                    ScenarioRunner.ms(r.percentileMicros(99))), WIDTH - RIGHT + 48, ly + 18);
            legend++;
        }
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
