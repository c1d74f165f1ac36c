package dev.quantagent.evaluator.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {

    @TempDir
    Path dir;

    private List<String> names() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskLeavesTheOldFileAsItWasAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("values.csv");
        Files.writeString(file, "the old content\n");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.write(file,
                out -> out.write(new byte[1 << 20]), FullDisk.with(4096, AtomicFile.CREATE)));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("the old content\n", Files.readString(file));
        assertEquals(List.of("values.csv"), names());
    }

    @Test
    void aFullDiskWhileAppendingIsReportedAndCutsTheFileBackToItsOldLength() throws IOException {
        Path log = dir.resolve("test-looks.log");
        Files.writeString(log, "one look\n");
        IOException e = assertThrows(IOException.class, () -> AtomicFile.append(log, "x".repeat(10_000) + "\n",
                FullDisk.with(100, AtomicFile.APPEND)));
        assertEquals("No space left on device", e.getMessage());
        assertEquals("one look\n", Files.readString(log));
    }

    @Test
    void anAppendAddsToTheFileAndCreatesAMissingOne() throws IOException {
        Path log = dir.resolve("test-looks.log");
        AtomicFile.append(log, "one\n");
        AtomicFile.append(log, "two\n");
        assertEquals("one\ntwo\n", Files.readString(log));
    }

    @Test
    void aFailureWhileWritingLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("report.md");
        Files.writeString(file, "old");
        assertThrows(IOException.class, () -> AtomicFile.writeText(file, w -> {
            w.write("half of the new ");
            throw new IOException("the writer failed");
        }));
        assertEquals("old", Files.readString(file));
        assertEquals(List.of("report.md"), names());
    }

    @Test
    void aCompleteWriteReplacesTheFileAndKeepsItsPermissions() throws IOException {
        Path file = dir.resolve("report.md");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        AtomicFile.writeString(file, "new");
        assertEquals("new", Files.readString(file));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("report.md"), names());
    }

    @Test
    void aNamedPipeIsRefusedAndStaysAPipe() throws Exception {
        Path fifo = FifoTarget.make(dir.resolve("pipe"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFile.writeString(fifo, "x"));
        assertTrue(e.getReason().contains("named pipe (FIFO), not a regular file"), e.getReason());
        assertTrue(FifoTarget.isPipe(fifo), "the pipe was replaced");
        assertEquals(List.of("pipe"), names());
        assertThrows(FileSystemException.class, () -> AtomicFile.append(fifo, "x")); // would block on open
    }

    @Test
    void aDeviceIsRefusedBeforeAnythingIsWritten() {
        assumeTrue(Files.exists(Path.of("/dev/null")));
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> AtomicFile.checkTarget(Path.of("/dev/null")));
        assertTrue(e.getReason().startsWith("it is a device"), e.getReason());
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("out"));
        FileSystemException e = assertThrows(FileSystemException.class, () -> AtomicFile.writeString(sub, "x"));
        assertTrue(e.getReason().startsWith("it is a directory"), e.getReason());
        assertTrue(Files.isDirectory(sub));
    }

    @Test
    void aSymbolicLinkIsWrittenThroughAndKept() throws IOException {
        Path real = Files.writeString(Files.createDirectory(dir.resolve("real")).resolve("data.csv"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), Path.of("real", "data.csv"));
        AtomicFile.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
    }

    @Test
    void aMissingFolderIsNotCreated() {
        Path file = dir.resolve("no-such-folder").resolve("x.csv");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> AtomicFile.writeString(file, "x"));
        assertTrue(e.getReason().startsWith("no such directory"), e.getReason());
        assertFalse(Files.exists(file.getParent()));
    }

    @Test
    void aGzNameIsWrittenCompressed() throws IOException {
        Path file = dir.resolve("market.csv.gz");
        AtomicFile.writeText(file, w -> {
            w.write("date,symbol\n");
            w.close(); // a CSV writer closed by its owner must not end the file early
        });
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertArrayEquals("date,symbol\n".getBytes(StandardCharsets.UTF_8), in.readAllBytes());
        }
    }
}
