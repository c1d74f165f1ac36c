package dev.quantagent.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PanelCacheTest {

    @TempDir
    Path dir;

    private Path csv() throws IOException {
        Path f = dir.resolve("p.csv");
        Files.writeString(f, "date,symbol,close,volume\n2020-01-02,B,2.5,\n2020-01-02,A,1.25,100\n"
                + "2020-01-03,A,1.5,200\n");
        return f;
    }

    private static void assertSamePanel(Panel a, Panel b) {
        assertEquals(a.dateCount(), b.dateCount());
        assertEquals(a.assetCount(), b.assetCount());
        for (int t = 0; t < a.dateCount(); t++) {
            assertEquals(a.date(t), b.date(t));
        }
        for (int i = 0; i < a.assetCount(); i++) {
            assertEquals(a.symbol(i), b.symbol(i));
        }
        assertEquals(a.fieldNames(), b.fieldNames());
        for (String f : a.fieldNames()) {
            assertArrayEquals(a.column(f), b.column(f), f); // NaN == NaN for assertArrayEquals on doubles
        }
    }

    @Test
    void aCachedPanelReadsBackIdentically() throws IOException {
        Path cache = dir.resolve("cache");
        Panel first = PanelCache.load(csv(), cache);
        try (var files = Files.list(cache)) {
            assertEquals(1, files.count());
        }
        assertSamePanel(first, PanelCache.load(csv(), cache));
        assertSamePanel(PanelCsv.read(csv()), PanelCache.load(csv(), cache));
    }

    @Test
    void aDamagedCacheEntryIsIgnoredAndRewritten() throws IOException {
        Path cache = dir.resolve("cache");
        Path data = csv();
        PanelCache.load(data, cache);
        Path entry;
        try (var files = Files.list(cache)) {
            entry = files.findFirst().orElseThrow();
        }
        Files.write(entry, new byte[] {1, 2, 3});
        assertSamePanel(PanelCsv.read(data), PanelCache.load(data, cache));
        assertTrue(Files.size(entry) > 3);
    }

    @Test
    void anEntryWithAGarbageSizeInItsHeaderIsRebuiltNotAllocated() throws IOException {
        Path cache = dir.resolve("cache");
        Path data = csv();
        PanelCache.load(data, cache);
        Path entry;
        try (var files = Files.list(cache)) {
            entry = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        // the date count follows the magic number and version: claim 2^31 - 1 dates
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(8, Integer.MAX_VALUE);
        Files.write(entry, bytes);
        assertSamePanel(PanelCsv.read(data), PanelCache.load(data, cache));
    }

    @Test
    void editingTheCsvMakesANewCacheEntry() throws IOException {
        Path cache = dir.resolve("cache");
        Path data = csv();
        PanelCache.load(data, cache);
        Files.writeString(data, "date,symbol,close\n2020-01-02,A,9\n");
        Files.setLastModifiedTime(data, java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        Panel p = PanelCache.load(data, cache);
        assertEquals(9.0, p.value("close", 0, 0));
    }

    @Test
    void theContentKeyIsTheSameForACopyElsewhereAndDiffersForOtherBytes() throws IOException {
        Path a = dir.resolve("a.csv");
        Files.writeString(a, "date,symbol,close\n2020-01-02,A,1\n");
        Path b = Files.createDirectory(dir.resolve("moved")).resolve("b.csv");
        Files.copy(a, b);
        Files.setLastModifiedTime(b, java.nio.file.attribute.FileTime.fromMillis(1_000_000));
        assertEquals(PanelCache.contentKey(a), PanelCache.contentKey(b));
        Files.writeString(b, "date,symbol,close\n2020-01-02,A,2\n");
        assertTrue(!PanelCache.contentKey(a).equals(PanelCache.contentKey(b)));
        // the first 12 bytes of the file's SHA-256: printf 'date,symbol,close\n2020-01-02,A,1\n' | sha256sum
        assertEquals("c7e0d8600b5ebd0098584ff5", PanelCache.contentKey(a));
    }
}
