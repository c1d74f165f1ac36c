package dev.quantagent.cli.render;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.quantagent.sandbox.AssetScale;
import dev.quantagent.sandbox.Factor;
import dev.quantagent.sandbox.FormulaException;

import java.util.Locale;

/**
 * A parsed formula as JSON ({@code check --json}), and a formula's error as {@code check --json} and
 * {@code eval --json} print it.
 */
public final class FormulaJson {

    private FormulaJson() {
    }

    /** Canonical form, hash, complexity, fields, lookback and how it scales with each asset's price and volume. */
    public static ObjectNode of(Factor f) {
        ObjectNode o = Json.object();
        o.put("canonical", f.canonical());
        o.put("hash", f.hash());
        ObjectNode c = o.putObject("complexity");
        c.put("nodes", f.complexity().nodes());
        c.put("depth", f.complexity().depth());
        c.put("distinct_fields", f.complexity().distinctFields());
        c.put("parameters", f.complexity().parameters());
        f.fields().forEach(o.putArray("fields")::add);
        o.put("lookback", f.lookback());
        AssetScale scale = AssetScale.of(f.expr());
        ObjectNode u = o.putObject("scale");
        u.put("dependent", scale.dependent());
        u.put("price_exponent", scale.price());
        u.put("shares_exponent", scale.shares());
        u.put("why", scale.why());
        return o;
    }

    /** {@code {"ok": false, "error": {kind, message, position, column}}}. */
    public static ObjectNode error(FormulaException e) {
        ObjectNode o = Json.object();
        o.put("ok", false);
        ObjectNode err = o.putObject("error");
        err.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
        err.put("message", e.detail());
        if (e.position() >= 0) {
            err.put("position", e.position());
            err.put("column", e.position() + 1);
        }
        return o;
    }
}
