/**
 * Measurements that need the server's own classes: for the benchmark suite (bench/run-suite.sh),
 * the in-process limit of the image pipeline, which the served throughput is compared with; for the
 * bundled model, its accuracy on shapes drawn by a renderer independent of its training one ({@link
 * zeroshot.server.bench.IndependentShapesEval}) and its in-process cost against an earlier version
 * ({@link zeroshot.server.bench.InProcessCost}).
 */
package zeroshot.server.bench;
