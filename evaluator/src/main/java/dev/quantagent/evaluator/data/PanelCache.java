package dev.quantagent.evaluator.data;

import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A binary copy of a parsed CSV panel, so a 30 MB CSV is parsed once rather than on every run. The cache file is
 * named after the CSV's absolute path, size and modification time: editing the CSV makes a new entry. Files are
 * written whole or not at all ({@link AtomicFile}), and a damaged or foreign cache file is ignored (and replaced),
 * never trusted.
 */
public final class PanelCache {

    private static final int MAGIC = 0x51415043; // "QAPC"
    private static final int VERSION = 1;

    private PanelCache() {
    }

    /** Loads the CSV through the cache in {@code cacheDir} (created if needed); null cacheDir means no cache. */
    public static Panel load(Path csv, Path cacheDir) {
        if (cacheDir == null) {
            return PanelCsv.read(csv);
        }
        Path entry;
        try {
            entry = cacheDir.resolve("panel-" + key(csv) + ".bin");
        } catch (IOException e) {
            throw DataException.cannotRead(csv, e);
        }
        if (Files.isRegularFile(entry)) {
            try {
                return read(entry);
            } catch (IOException | RuntimeException e) {
                // fall through: parse the CSV again and rewrite the entry
            }
        }
        Panel panel = PanelCsv.read(csv);
        try {
            Files.createDirectories(cacheDir);
            write(panel, entry);
        } catch (IOException e) {
            // a cache that cannot be written only costs speed
        }
        return panel;
    }

    /**
     * Identity of a data file's contents: SHA-256 of its bytes (the first 12, in hex). A copy or a moved file has
     * the same key, an edited one another.
     */
    public static String contentKey(Path file) throws IOException {
        MessageDigest d = sha256();
        try (java.io.InputStream in = new java.security.DigestInputStream(Files.newInputStream(file), d)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(d.digest(), 0, 12);
    }

    /** Identity of a data file for caches: SHA-256 of its absolute path, size and modification time. */
    public static String key(Path csv) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(csv, BasicFileAttributes.class);
        String id = csv.toAbsolutePath().normalize() + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis();
        return HexFormat.of().formatHex(sha256().digest(id.getBytes(StandardCharsets.UTF_8)), 0, 12);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every Java platform has SHA-256
        }
    }

    static void write(Panel panel, Path entry) throws IOException {
        int dates = panel.dateCount();
        int assets = panel.assetCount();
        List<String> fields = new ArrayList<>(panel.fieldNames());
        AtomicFile.write(entry, out -> {
            ByteBuffer head = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
            head.putInt(MAGIC).putInt(VERSION).putInt(dates).putInt(assets).putInt(fields.size());
            writeFully(out, head);
            ByteBuffer buf = ByteBuffer.allocate(8 * dates).order(ByteOrder.LITTLE_ENDIAN);
            buf.asLongBuffer().put(datesOf(panel));
            buf.position(8 * dates);
            writeFully(out, buf);
            for (int a = 0; a < assets; a++) {
                writeString(out, panel.symbol(a));
            }
            for (String f : fields) {
                writeString(out, f);
                ByteBuffer values = ByteBuffer.allocate(8 * panel.cells()).order(ByteOrder.LITTLE_ENDIAN);
                values.asDoubleBuffer().put(panel.column(f));
                values.position(values.capacity());
                writeFully(out, values);
            }
        });
    }

    static Panel read(Path entry) throws IOException {
        ByteBuffer all;
        try (FileChannel ch = FileChannel.open(entry, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new IOException("cache entry too large");
            }
            all = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            while (all.hasRemaining() && ch.read(all) >= 0) {
                // read fully
            }
            all.flip();
        }
        if (all.getInt() != MAGIC || all.getInt() != VERSION) {
            throw new IOException("not a panel cache of this version");
        }
        int dates = all.getInt();
        int assets = all.getInt();
        int fieldCount = all.getInt();
        // a damaged entry must fail as an IOException (and be rebuilt), not allocate from garbage counts
        long left = all.remaining();
        if (dates < 0 || assets < 0 || assets > Panel.MAX_ASSETS || fieldCount < 0 || 8L * dates + 4L * assets > left
                || fieldCount > 0 && (long) dates * assets > left / (8L * fieldCount)) {
            throw new IOException("damaged panel cache entry");
        }
        long[] ds = new long[dates];
        all.asLongBuffer().get(ds);
        all.position(all.position() + 8 * dates);
        String[] symbols = new String[assets];
        for (int a = 0; a < assets; a++) {
            symbols[a] = readString(all);
        }
        Panel.Builder b = Panel.builder(ds, symbols);
        for (int f = 0; f < fieldCount; f++) {
            String name = readString(all);
            double[] v = new double[dates * assets];
            all.asDoubleBuffer().get(v);
            all.position(all.position() + 8 * v.length);
            b.field(name, v);
        }
        if (all.hasRemaining()) {
            throw new IOException("trailing bytes in cache entry");
        }
        return b.build();
    }

    private static long[] datesOf(Panel p) {
        long[] d = new long[p.dateCount()];
        for (int t = 0; t < d.length; t++) {
            d[t] = p.date(t);
        }
        return d;
    }

    private static void writeString(OutputStream out, String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + bytes.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(bytes.length).put(bytes);
        writeFully(out, b);
    }

    private static String readString(ByteBuffer b) throws IOException {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw new IOException("damaged cache entry");
        }
        byte[] bytes = new byte[n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The buffer's bytes up to its position. */
    private static void writeFully(OutputStream out, ByteBuffer b) throws IOException {
        out.write(b.array(), 0, b.position());
    }
}
