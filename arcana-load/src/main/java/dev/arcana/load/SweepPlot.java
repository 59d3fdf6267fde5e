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
import java.util.function.ToLongFunction;
import javax.imageio.ImageIO;

/** A PNG of a rate sweep: p50 and p99 commit → frame latency (log scale) against the commit rate. */
final class SweepPlot {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final int LEFT = 70;
    private static final int RIGHT = 40;
    private static final int TOP = 40;
    private static final int BOTTOM = 60;
    private static final double MIN_MS = 0.5;
    private static final double MAX_MS = 5_000;

    private SweepPlot() {
    }

    static void write(Path file, String title, List<ScenarioResult> steps, double limitMs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        int maxRate = steps.stream().mapToInt(s -> s.scenario().commitsPerSecond()).max().orElse(1);
        for (double ms = 1; ms <= MAX_MS; ms *= 10) {
            int y = y(ms, plotH);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, y, LEFT + plotW, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.valueOf((long) ms), LEFT - 40, y + 4);
        }
        g.setColor(new Color(0xcc0000));
        g.drawLine(LEFT, y(limitMs, plotH), LEFT + plotW, y(limitMs, plotH));
        g.drawString(String.format(Locale.ROOT, "p99 limit %.0f ms", limitMs), LEFT + plotW - 110, y(limitMs, plotH) - 4);
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (ScenarioResult step : steps) {
            int x = x(step.scenario().commitsPerSecond(), maxRate, plotW);
            g.drawString(String.valueOf(step.scenario().commitsPerSecond()), x - 12, TOP + plotH + 16);
        }
        g.drawString("commits per second", LEFT + plotW / 2 - 50, HEIGHT - 20);
        g.drawString("ms", LEFT - 40, TOP - 5);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, TOP - 15);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        curve(g, steps, maxRate, plotW, plotH, new Color(0x1f77b4), "p50", r -> r.percentileMicros(50));
        curve(g, steps, maxRate, plotW, plotH, new Color(0xd62728), "p99", r -> r.percentileMicros(99));
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private static void curve(Graphics2D g, List<ScenarioResult> steps, int maxRate, int plotW, int plotH, Color color,
                              String name, ToLongFunction<ScenarioResult> micros) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        int prevX = -1;
        int prevY = -1;
        for (ScenarioResult step : steps) {
            int x = x(step.scenario().commitsPerSecond(), maxRate, plotW);
            int y = y(micros.applyAsLong(step) / 1_000.0, plotH);
            g.fillOval(x - 3, y - 3, 6, 6);
            if (prevX >= 0) {
                g.drawLine(prevX, prevY, x, y);
            }
            prevX = x;
            prevY = y;
        }
        if (prevX >= 0) {
            g.drawString(name, prevX + 6, prevY + 4);
        }
    }

    private static int x(int rate, int maxRate, int plotW) {
        return LEFT + (int) (plotW * (rate / (double) maxRate) * 0.95);
    }

    private static int y(double ms, int plotH) {
        double clamped = Math.min(MAX_MS, Math.max(MIN_MS, ms));
        return TOP + plotH - (int) (plotH * Math.log10(clamped / MIN_MS) / Math.log10(MAX_MS / MIN_MS));
    }
}
