/**
 * Measurements for the benchmark suite (bench/run-suite.sh) that need the server's own classes: the
 * in-process limit of the image pipeline, which the served throughput is compared with.
 */
package zeroshot.server.bench;
