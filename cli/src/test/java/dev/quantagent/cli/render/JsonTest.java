package dev.quantagent.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void numbersThatAreNotFiniteArePutAsNulls() {
        ObjectNode o = Json.object();
        Json.put(o, "a", Double.NaN);
        Json.put(o, "b", Double.POSITIVE_INFINITY);
        Json.add(o.putArray("c"), 0.5);
        Json.add(o.withArray("c"), Double.NEGATIVE_INFINITY);
        assertEquals("{\"a\":null,\"b\":null,\"c\":[0.5,null]}", o.toString());
    }

    @Test
    void anUndefinedNumberIsWrittenAsNullNeverAsTheStringNaN() {
        ObjectNode o = Json.object().put("nan", Double.NaN).put("inf", Double.NEGATIVE_INFINITY).put("f", Float.NaN)
                .put("x", 1.5);
        o.putArray("a").add(Double.POSITIVE_INFINITY).add(2);
        assertEquals("{\"nan\":null,\"inf\":null,\"f\":null,\"x\":1.5,\"a\":[null,2]}", Json.line(o));
        assertEquals("{\n  \"nan\" : null,\n  \"inf\" : null,\n  \"f\" : null,\n  \"x\" : 1.5,\n  \"a\" : [ null, 2 ]\n}",
                Json.pretty(o));
    }
}
