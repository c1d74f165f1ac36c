package dev.quantagent.knowledge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quantagent.sandbox.Limits;
import dev.quantagent.sandbox.Sandbox;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 while writing: the file opens again, nothing acknowledged is lost, and every stored factor is whole. */
class CrashSafetyTest {

    @TempDir
    Path dir;

    @Test
    void aKnowledgeBaseKilledMidWriteReopensWithEveryAcknowledgedFactorIntact() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Writer.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        long acknowledged = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    acknowledged = Long.parseLong(line.substring(10));
                    if (acknowledged >= 200) {
                        p.destroyForcibly(); // SIGKILL: no shutdown hooks, no close
                        break;
                    }
                }
            }
        }
        p.waitFor();
        try (KnowledgeBase kb = KnowledgeBase.open(dir, HashingEmbedder::new)) {
            // the writer may have committed a few more than we read before the kill landed: none may be lost, and
            // every stored record must be whole (its fields agree with each other and its embedding loads)
            long count = kb.count();
            assertTrue(count >= acknowledged, count + " stored, " + acknowledged + " acknowledged");
            for (long id = 1; id <= count; id++) {
                FactorRecord r = kb.get(id).orElseThrow();
                assertEquals("ts_mean(close, " + (id + 1) + ")", r.formula());
                assertEquals("f" + id, r.name());
                assertEquals(List.of("reason " + id), r.rejectionReasons());
            }
            assertEquals(count, kb.search("mean of close", (int) count, Filter.ANY).size());
            kb.insert(FactorRecord.builder("rank(volume)").build()); // and it still takes writes
        }
    }

    /** Child process: inserts factors forever, printing each acknowledged id. */
    static final class Writer {
        public static void main(String[] args) {
            Sandbox sandbox = new Sandbox(Limits.DEFAULT);
            try (KnowledgeBase kb = KnowledgeBase.open(Path.of(args[0]), HashingEmbedder::new)) {
                for (long i = 1; ; i++) {
                    long id = kb.insert(FactorRecord.builder(sandbox.parse("ts_mean(close, " + (i + 1) + ")"))
                            .name("f" + i).hypothesis("mean of close over " + (i + 1) + " days")
                            .status(Status.REJECTED, List.of("reason " + i)).dataset("d").build());
                    System.out.println("committed " + id);
                    System.out.flush();
                }
            }
        }
    }
}
