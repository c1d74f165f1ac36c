package dev.quantagent.knowledge;

import dev.quantagent.sandbox.Expr;
import dev.quantagent.sandbox.FormulaException;
import dev.quantagent.sandbox.Op;
import dev.quantagent.sandbox.Sandbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Success rates and counts over the whole knowledge base. Called under {@link KnowledgeBase}'s lock. */
final class Aggregates {

    private final Database db;
    private final Sandbox sandbox;

    Aggregates(Database db, Sandbox sandbox) {
        this.db = db;
        this.sandbox = sandbox;
    }

    /** Success rate by operator family: a factor counts once for each family among its operators. */
    List<GroupRate> successByFamily() {
        Map<Op.Category, long[]> counts = new EnumMap<>(Op.Category.class);
        try (Statement s = db.statement();
             ResultSet rs = s.executeQuery("SELECT canonical, status FROM factors WHERE canonical IS NOT NULL")) {
            while (rs.next()) {
                Set<Op.Category> families = EnumSet.noneOf(Op.Category.class);
                try {
                    categories(sandbox.parse(rs.getString(1)).expr(), families);
                } catch (FormulaException e) {
                    continue;
                }
                boolean accepted = Status.ACCEPTED.key().equals(rs.getString(2));
                for (Op.Category cat : families) {
                    long[] n = counts.computeIfAbsent(cat, x -> new long[2]);
                    n[0]++;
                    n[1] += accepted ? 1 : 0;
                }
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
        List<GroupRate> out = new ArrayList<>();
        counts.forEach((cat, n) -> out.add(new GroupRate(cat.name().toLowerCase(java.util.Locale.ROOT), n[0], n[1])));
        return out;
    }

    private static void categories(Expr e, Set<Op.Category> out) {
        if (e instanceof Expr.Call) {
            Expr.Call call = (Expr.Call) e;
            out.add(call.op().category());
            call.args().forEach(a -> categories(a, out));
        }
    }

    /** Success rate per run (null run: factors stored outside a run). */
    List<GroupRate> successByRun() {
        return groupRates("run_id");
    }

    /** Success rate per writer ({@code kind/model}). */
    List<GroupRate> successByWriter() {
        return groupRates("CONCAT(COALESCE(writer_kind, '?'), '/', COALESCE(writer_model, '-'))");
    }

    private List<GroupRate> groupRates(String group) {
        List<GroupRate> out = new ArrayList<>();
        try (Statement s = db.statement(); ResultSet rs = s.executeQuery("SELECT " + group + " AS g, COUNT(*), "
                + "SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) FROM factors GROUP BY g ORDER BY g")) {
            while (rs.next()) {
                out.add(new GroupRate(rs.getString(1), rs.getLong(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
        return out;
    }

    /** Counts of factors by status. */
    Map<Status, Long> countByStatus() {
        Map<Status, Long> out = new EnumMap<>(Status.class);
        Arrays.stream(Status.values()).forEach(s -> out.put(s, 0L));
        try (Statement s = db.statement();
             ResultSet rs = s.executeQuery("SELECT status, COUNT(*) FROM factors GROUP BY status")) {
            while (rs.next()) {
                out.put(Status.of(rs.getString(1)), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
        return out;
    }

    /** Trials per data set. */
    Map<String, Long> trialsByDataset() {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement s = db.statement();
             ResultSet rs = s.executeQuery("SELECT dataset_key, trials FROM dataset_trials ORDER BY dataset_key")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        } catch (SQLException e) {
            throw db.failure(e);
        }
        return out;
    }

}
