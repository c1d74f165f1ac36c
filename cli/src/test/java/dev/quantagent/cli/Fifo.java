package dev.quantagent.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** A named pipe made with mkfifo, as a target a command must refuse; the test is skipped where there is none. */
final class Fifo {

    private Fifo() {
    }

    static Path make(Path path) throws IOException, InterruptedException {
        try {
            assumeTrue(new ProcessBuilder("mkfifo", path.toString()).start().waitFor() == 0, "mkfifo failed");
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here");
        }
        assumeTrue(isPipe(path), "mkfifo made no pipe");
        return path;
    }

    /** Whether the path is (still) a named pipe, not a file that replaced it. */
    static boolean isPipe(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class).isOther();
    }
}
