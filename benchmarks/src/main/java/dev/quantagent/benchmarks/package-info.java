/**
 * JMH benchmarks of the hot paths. Build with {@code mvn -B package -DskipTests}, then run
 * {@code java -jar benchmarks/target/benchmarks.jar [regex]} from the repository root; benchmarks use the S&P 500
 * file in {@code ../shared/data} when present (override with {@code -Dquantagent.data=FILE}), else a random panel
 * of the same shape.
 */
package dev.quantagent.benchmarks;
