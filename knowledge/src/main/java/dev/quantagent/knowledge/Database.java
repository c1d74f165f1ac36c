package dev.quantagent.knowledge;

import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/**
 * The knowledge base's one connection to its H2 file: opening (probing an existing file first, migrating its schema),
 * transactions, and the JDBC helpers the tables share. Not thread-safe: {@link KnowledgeBase} holds its lock around
 * every use.
 */
final class Database {

    private final Path dir;
    private final Connection c;

    private Database(Path dir, Connection c) {
        this.dir = dir;
        this.c = c;
    }

    /** Opens (creating or migrating to {@code schemaVersion}) the database in {@code dir}. */
    static Database open(Path dir, int schemaVersion) {
        Path abs = dir.toAbsolutePath().normalize();
        if (abs.toString().indexOf(';') >= 0) {
            // H2 reads what follows a ';' of its URL as settings (and runs an INIT script): a database file would be
            // made beside the folder, and a setting taken from a path
            throw new KnowledgeBaseException("the knowledge base path " + abs + " contains ';', which the database "
                    + "would read as a setting; use a folder whose path has none");
        }
        try {
            Files.createDirectories(abs);
        } catch (java.io.IOException e) {
            throw new KnowledgeBaseException("cannot create the knowledge base directory " + abs + ": " + e, e);
        }
        Path file = abs.resolve("kb.mv.db");
        if (Files.exists(file)) {
            probe(abs, file);
        }
        // WRITE_DELAY=0: a commit reaches the file at once, so kill -9 loses at most the record being written
        // DB_CLOSE_ON_EXIT=FALSE: on Ctrl-C the command saves its run and closes the base itself; H2 closing it from its
        // own shutdown hook, under the running work, would fail those last writes
        String url = "jdbc:h2:file:" + abs.resolve("kb") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
        Connection c;
        try {
            c = DriverManager.getConnection(url, "sa", "");
        } catch (SQLException e) {
            if (inUse(e)) {
                throw openElsewhere(abs, e);
            }
            throw new KnowledgeBaseException("cannot open the knowledge base at " + abs + ": " + e.getMessage(), e);
        }
        try {
            Migrations.migrate(c, schemaVersion, abs.toString());
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            if (e instanceof KnowledgeBaseException) {
                throw (KnowledgeBaseException) e;
            }
            throw new KnowledgeBaseException("cannot open the knowledge base at " + abs + ": " + e.getMessage(), e);
        }
        return new Database(abs, c);
    }

    /**
     * Looks at an existing database file read-only first, since H2 opening a damaged file for writing (one cut short
     * by a full disk or a bad copy) starts it afresh, empty, and overwrites it: that must never happen, least of all to
     * a command that only reads. A file whose store holds nothing is refused, untouched. (H2's own read-only mode is
     * no probe: after it fails on such a file it keeps the file locked for the rest of the process.)
     */
    private static void probe(Path abs, Path file) {
        long size = file.toFile().length();
        if (size == 0) {
            throw damaged(file, "it is empty", null);
        }
        try (MVStore store = new MVStore.Builder().fileName(file.toString()).readOnly().open()) {
            if (store.getMapNames().isEmpty()) {
                throw damaged(file, String.format(java.util.Locale.ROOT, "its %,d bytes hold no database: cut short, "
                        + "or another kind of file", size), null);
            }
        } catch (MVStoreException e) {
            if (e.getErrorCode() == DataUtils.ERROR_FILE_LOCKED) {
                throw openElsewhere(abs, e);
            }
            throw damaged(file, "H2 cannot read it: " + e.getMessage().replaceAll(" \\[[^\\]]*]$", ""), e);
        } catch (RuntimeException e) {
            if (e instanceof KnowledgeBaseException k) {
                throw k;
            }
            throw damaged(file, "H2 cannot read it: " + e, e);
        }
    }

    private static KnowledgeBaseException damaged(Path file, String why, Exception e) {
        return new KnowledgeBaseException("the knowledge base file " + file + " is damaged (" + why + "); it was left "
                + "as it is: restore it from a backup, or move it away to start a new knowledge base", e);
    }

    private static boolean inUse(SQLException e) {
        return e.getErrorCode() == 90020 || String.valueOf(e.getMessage()).contains("already in use");
    }

    private static KnowledgeBaseException openElsewhere(Path abs, Exception e) {
        return new KnowledgeBaseException("the knowledge base at " + abs + " is open in another quantagent process; "
                + "wait for it to finish (or stop it), or use another one with --kb PATH", e);
    }

    Path location() {
        return dir;
    }

    int schemaVersion() {
        try {
            return Migrations.version(c);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    void close() {
        closeQuietly(c);
    }

    PreparedStatement prepare(String sql) throws SQLException {
        return c.prepareStatement(sql);
    }

    PreparedStatement prepare(String sql, int autoGeneratedKeys) throws SQLException {
        return c.prepareStatement(sql, autoGeneratedKeys);
    }

    java.sql.Statement statement() throws SQLException {
        return c.createStatement();
    }

    /** Statements that change the database together. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    /**
     * Runs work as one transaction: committed whole, or rolled back whole on any failure (an error too: turning
     * autocommit back on would commit what is pending).
     */
    <T> T inTransaction(Work<T> work) {
        boolean committed = false;
        try {
            c.setAutoCommit(false);
            T result = work.run();
            c.commit();
            committed = true;
            return result;
        } catch (SQLException e) {
            throw failure(e);
        } finally {
            if (!committed) {
                rollback();
            }
            autoCommit();
        }
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static void setLong(PreparedStatement p, int i, Long v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.BIGINT);
        } else {
            p.setLong(i, v);
        }
    }

    static void setInt(PreparedStatement p, int i, Integer v) throws SQLException {
        if (v == null) {
            p.setNull(i, Types.INTEGER);
        } else {
            p.setInt(i, v);
        }
    }

    static void setDouble(PreparedStatement p, int i, Double v) throws SQLException {
        if (v == null || v.isNaN()) {
            p.setNull(i, Types.DOUBLE);
        } else {
            p.setDouble(i, v);
        }
    }

    private void rollback() {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the original failure is the one worth reporting
        }
    }

    private void autoCommit() {
        try {
            c.setAutoCommit(true);
        } catch (SQLException ignored) {
            // the connection is broken; the next call reports it
        }
    }

    KnowledgeBaseException failure(SQLException e) {
        return new KnowledgeBaseException("knowledge base " + dir + ": " + e.getMessage(), e);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing is best effort
        }
    }
}
