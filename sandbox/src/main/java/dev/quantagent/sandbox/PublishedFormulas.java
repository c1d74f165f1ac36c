package dev.quantagent.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The published formula libraries, in their authors' notation: Kakushadze's "101 Formulaic Alphas" (2015) and
 * Qlib's Alpha158 features. They are conformance tests of the language, benchmark workloads, and classic building
 * blocks for the Writer. Sources and transcription notes are in the resource files' headers.
 */
public final class PublishedFormulas {

    /** One published formula: its name in the library ({@code 1}..{@code 101}, or {@code KMID}) and its text. */
    public record Formula(String name, String formula) {
    }

    private PublishedFormulas() {
    }

    /** The 101 formulas of "101 Formulaic Alphas", named 1..101. */
    public static List<Formula> alpha101() {
        return load("alpha101.txt");
    }

    /** The 158 features of Qlib's Alpha158 handler, named as Qlib names them. */
    public static List<Formula> alpha158() {
        return load("alpha158.txt");
    }

    private static List<Formula> load(String resource) {
        List<Formula> formulas = new ArrayList<>();
        try (InputStream in = PublishedFormulas.class.getResourceAsStream(resource);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t", 2);
                formulas.add(new Formula(parts[0], parts[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return List.copyOf(formulas);
    }
}
