package dev.quantagent.cli.analysis;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import dev.quantagent.assistant.Analysis;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Validates JSON text against the shipped schemas with an independent JSON Schema validator, for tests. */
public final class SchemaCheck {

    /** The schemas QuantAgent ships: the assistant's input document and the command line's JSON report. */
    public enum Shipped {
        INPUT, REPORT;

        public String text() {
            return this == INPUT ? Analysis.inputSchema() : Reports.schema();
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final SchemaRegistry REGISTRY =
            SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<Shipped, Schema> SCHEMAS = new EnumMap<>(Shipped.class);

    private SchemaCheck() {
    }

    /** What the schema finds wrong with the document, each as "location: message"; empty when it is valid. */
    public static synchronized List<String> errors(Shipped which, String json) {
        Schema schema = SCHEMAS.computeIfAbsent(which, w -> REGISTRY.getSchema(w.text()));
        List<String> out = new ArrayList<>();
        for (Error e : schema.validate(tree(json))) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    /** What the draft 2020-12 meta-schema (bundled with the validator, no network) finds wrong with a schema. */
    static synchronized List<String> metaErrors(Shipped which) {
        Schema meta = REGISTRY.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<String> out = new ArrayList<>();
        for (Error e : meta.validate(tree(which.text()))) {
            out.add(e.getInstanceLocation() + ": " + e.getMessage());
        }
        return out;
    }

    /** Fails with the schema's messages unless the document is valid. */
    public static void assertValid(Shipped which, String json) {
        List<String> errors = errors(which, json);
        if (!errors.isEmpty()) {
            fail("not valid against the " + which.name().toLowerCase(Locale.ROOT) + " schema:\n"
                    + String.join("\n", errors));
        }
    }

    static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
