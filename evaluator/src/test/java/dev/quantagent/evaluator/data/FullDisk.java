package dev.quantagent.evaluator.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A file channel on a disk with {@code room} bytes left: writes past it fail as Linux's do ("No space left on
 * device"), after writing what fits. The disk-full case of the campaign, where no small tmpfs can be mounted.
 */
final class FullDisk extends FileChannel {

    private final FileChannel file;
    private long room;

    private FullDisk(FileChannel file, long room) {
        this.file = file;
        this.room = room;
    }

    /** Opens files as {@code opener} does, on a disk with {@code room} bytes left. */
    static AtomicFile.Opener with(long room, AtomicFile.Opener opener) {
        return (Path p) -> new FullDisk(opener.open(p), room);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (room <= 0 && src.hasRemaining()) {
            throw new IOException("No space left on device");
        }
        int fits = (int) Math.min(src.remaining(), room);
        ByteBuffer part = src.slice().limit(fits);
        int n = file.write(part);
        src.position(src.position() + n);
        room -= n;
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long n = 0;
        for (int i = offset; i < offset + length; i++) {
            n += write(srcs[i]);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        throw new IOException("No space left on device");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        file.truncate(size);
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        throw new IOException("No space left on device");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        throw new IOException("not mapped in tests");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
