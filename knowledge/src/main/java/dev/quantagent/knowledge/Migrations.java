package dev.quantagent.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * A plain versioned SQL script runner (instead of Flyway: one small class, no megabyte of dependency, H2 only).
 * Scripts {@code db/V<n>__<what>.sql} are applied in order, each in its own transaction, and recorded in
 * {@code schema_version}. A knowledge base newer than this code is refused, never misread.
 */
final class Migrations {

    /** Every migration this code knows, in order; a new one is appended, never edited. */
    static final List<String> SCRIPTS = List.of("V1__init.sql", "V2__embedder_and_lineage.sql",
            "V3__dataset_aliases.sql", "V4__valid_looks.sql");

    private Migrations() {
    }

    static int latest() {
        return SCRIPTS.size();
    }

    /** The schema version stamped in the database (0 for an empty one). */
    static int version(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                    + "script VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT COALESCE(MAX(version), 0) FROM schema_version")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Brings the schema to version {@code target}.
     *
     * @throws KnowledgeBaseException if the database is newer than {@code target}
     */
    static void migrate(Connection c, int target, String where) throws SQLException {
        int current = version(c);
        if (current > target) {
            throw new KnowledgeBaseException("the knowledge base at " + where + " has schema version " + current
                    + ", newer than this quantagent understands (" + target + "); upgrade quantagent to open it");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            for (int v = current + 1; v <= target; v++) {
                String script = SCRIPTS.get(v - 1);
                try (Statement s = c.createStatement()) {
                    for (String sql : statements(read(script))) {
                        s.execute(sql);
                    }
                    try (PreparedStatement p = c.prepareStatement(
                            "INSERT INTO schema_version (version, script, applied_at) VALUES (?, ?, ?)")) {
                        p.setInt(1, v);
                        p.setString(2, script);
                        p.setLong(3, System.currentTimeMillis());
                        p.executeUpdate();
                    }
                    c.commit();
                } catch (SQLException e) {
                    c.rollback();
                    throw new SQLException("migration " + script + " failed: " + e.getMessage(), e);
                }
            }
        } finally {
            c.setAutoCommit(auto);
        }
    }

    /** Splits a script on semicolons at line ends; comments ({@code --}) are dropped. */
    static List<String> statements(String script) {
        StringBuilder sb = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            sb.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        return java.util.Arrays.stream(sb.toString().split(";\\s*\n"))
                .map(String::strip).filter(s -> !s.isEmpty()).map(s -> s.endsWith(";") ? s.substring(0, s.length() - 1) : s)
                .toList();
    }

    private static String read(String script) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/" + script)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource db/" + script);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
