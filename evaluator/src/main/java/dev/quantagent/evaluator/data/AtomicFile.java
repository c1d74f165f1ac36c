package dev.quantagent.evaluator.data;

import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The one way QuantAgent writes a file, so that a file is replaced only once its new content is complete: the content
 * goes to a temporary file in the target's folder, is flushed to the disk ({@code fsync}), and is then renamed over the
 * target in one step; a failure at any point (a full disk, a killed process) leaves the old file as it was and
 * removes the temporary one. Only regular files are written: a target that exists and is a directory, a device (such
 * as {@code /dev/full}), a named pipe or a socket is refused before anything is written, instead of being replaced by
 * a regular file. A symbolic link is written through: its target is replaced and the link kept. A new file gets the
 * usual permissions (the umask's); a replaced one keeps its own. Folders are not created: a mistyped one is an error.
 *
 * <p>Appending ({@link #append}) cannot be made atomic by a rename; it writes, flushes to the disk and, when that
 * fails, cuts the file back to its old length, so the failure is reported and no half line is left.
 */
public final class AtomicFile {

    /** Writes to a stream or writer, and may fail as I/O does. */
    @FunctionalInterface
    public interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    /** Opens a file for writing; tests pass one whose channel fails as a full disk does. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    static final Opener CREATE = file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    static final Opener APPEND = file -> FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);

    private static final int BUFFER = 1 << 16;
    /** Symbolic links followed to find the file a path names (Linux's own limit). */
    private static final int MAX_LINKS = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFile() {
    }

    /**
     * Replaces {@code target} with the bytes {@code body} writes (see the class comment). The stream is buffered;
     * {@code body} may close it or not.
     *
     * @throws IOException if the target is not a regular file or its folder is missing (a {@link FileSystemException}
     *                     whose reason says so), or the writing fails; the target is then as it was
     */
    public static void write(Path target, IoConsumer<OutputStream> body) throws IOException {
        write(target, body, CREATE);
    }

    /**
     * Replaces {@code target} with the text {@code body} writes, as UTF-8, gzip-compressed when the file's name ends
     * in {@code .gz} (as every data file QuantAgent writes).
     */
    public static void writeText(Path target, IoConsumer<Writer> body) throws IOException {
        write(target, out -> {
            GZIPOutputStream gzip = target.getFileName().toString().endsWith(".gz")
                    ? new GZIPOutputStream(out, BUFFER) : null;
            Writer w = new BufferedWriter(new OutputStreamWriter(gzip != null ? gzip : out, StandardCharsets.UTF_8),
                    BUFFER);
            body.accept(new KeptOpen(w));
            w.flush();
            if (gzip != null) {
                gzip.finish();
            }
        });
    }

    /** Replaces {@code target} with {@code text} (UTF-8; gzip for a {@code .gz} name). */
    public static void writeString(Path target, CharSequence text) throws IOException {
        writeText(target, w -> w.append(text));
    }

    /**
     * Appends {@code text} (UTF-8) to {@code target}, created if missing, and flushes it to the disk. If that fails
     * the file is cut back to its old length and the failure thrown: an append is never lost without notice.
     */
    public static void append(Path target, CharSequence text) throws IOException {
        append(target, text, APPEND);
    }

    /**
     * The file {@code target} names, symbolic links followed, if it may be written: a regular file, or none yet in an
     * existing folder. Callers that work long before they write check first, so a refusal costs nothing.
     *
     * @throws FileSystemException saying why not (a directory, a device, a named pipe, a missing folder)
     */
    public static Path checkTarget(Path target) throws IOException {
        Path p = target.toAbsolutePath();
        for (int links = 0; ; links++) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                Path dir = p.getParent();
                if (dir == null || !Files.isDirectory(dir)) {
                    throw new NoSuchFileException(target.toString(), null, "no such directory " + dir);
                }
                return p;
            }
            if (a.isSymbolicLink()) {
                if (links == MAX_LINKS) {
                    throw new FileSystemException(target.toString(), null, "too many levels of symbolic links");
                }
                p = p.resolveSibling(Files.readSymbolicLink(p));
            } else if (a.isRegularFile()) {
                return p;
            } else {
                throw new FileSystemException(target.toString(), null, kind(p, a)
                        + ", not a regular file; QuantAgent writes only regular files");
            }
        }
    }

    static void write(Path target, IoConsumer<OutputStream> body, Opener opener) throws IOException {
        Path file = checkTarget(target);
        Path tmp = file.resolveSibling(temporaryName(file));
        boolean moved = false;
        try {
            try (FileChannel ch = opener.open(tmp)) {
                keepPermissions(file, tmp);
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), BUFFER);
                body.accept(new KeptOpenStream(out));
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncFolder(file.getParent());
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the original failure is the one to report
                }
            }
        }
    }

    static void append(Path target, CharSequence text, Opener opener) throws IOException {
        Path file = checkTarget(target);
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
        try (FileChannel ch = opener.open(file)) {
            long before = ch.size();
            try {
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            } catch (IOException e) {
                try {
                    ch.truncate(before);
                    ch.force(true);
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
        }
    }

    /** {@code .NAME.RANDOM.tmp}: hidden, beside the target, and never a name another writer picks. */
    private static String temporaryName(Path file) {
        String name = file.getFileName().toString();
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return "." + (name.length() > 100 ? name.substring(0, 100) : name) + "." + HexFormat.of().formatHex(random)
                + ".tmp";
    }

    /** A replaced file keeps its permissions (best effort: not every file system has POSIX ones). */
    private static void keepPermissions(Path file, Path tmp) {
        try {
            PosixFileAttributeView old = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (old != null && Files.exists(file)) {
                Files.getFileAttributeView(tmp, PosixFileAttributeView.class)
                        .setPermissions(old.readAttributes().permissions());
            }
        } catch (IOException | RuntimeException e) {
            // the usual permissions, then
        }
    }

    /** Makes the rename itself durable; not every system can sync a folder, and then the rename is all there is. */
    private static void syncFolder(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /** What a file that is not a regular one is, in words. */
    private static String kind(Path p, BasicFileAttributes a) {
        if (a.isDirectory()) {
            return "it is a directory";
        }
        try {
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000;
            switch (mode) {
                case 0010000:
                    return "it is a named pipe (FIFO)";
                case 0020000:
                case 0060000:
                    return "it is a device";
                case 0140000:
                    return "it is a socket";
                default:
                    break;
            }
        } catch (IOException | RuntimeException e) {
            // no unix view: say less
        }
        return "it is a special file";
    }

    /** A stream whose close only flushes: the writer finishes the file itself. */
    private static final class KeptOpenStream extends FilterOutputStream {
        KeptOpenStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** A writer whose close only flushes (a CSV writer closed by its owner must not end the gzip stream early). */
    private static final class KeptOpen extends FilterWriter {
        KeptOpen(Writer out) {
            super(out);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
