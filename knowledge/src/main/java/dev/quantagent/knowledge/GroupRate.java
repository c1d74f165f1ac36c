package dev.quantagent.knowledge;

/** How many factors of a group (operator family, run, writer) were tried and accepted. */
public record GroupRate(String group, long tried, long accepted) {

    public double rate() {
        return tried == 0 ? Double.NaN : (double) accepted / tried;
    }
}
