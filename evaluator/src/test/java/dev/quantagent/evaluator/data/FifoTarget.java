package dev.quantagent.evaluator.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A named pipe made with mkfifo, for tests of what may be written; the test is skipped where there is none. */
final class FifoTarget {

    private FifoTarget() {
    }

    static Path make(Path path) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here");
            throw e;
        }
        assumeTrue(p.waitFor() == 0 && isPipe(path), "mkfifo failed");
        return path;
    }

    /** Whether the path is (still) a named pipe. */
    static boolean isPipe(Path path) throws IOException {
        return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).isOther();
    }
}
