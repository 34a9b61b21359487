/**
 * The load generator behind {@code zeroshot bench}: closed-loop and open-loop (Poisson) runs
 * against a server, latency in HdrHistogram, error counts by status, and the server's own batching
 * figures read from its {@code /metrics}.
 *
 * <p>Timing and randomness come in through {@link zeroshot.client.bench.BenchClock} and {@link
 * java.util.Random}, so the statistics are tested without sleeping.
 */
package zeroshot.client.bench;
