package zeroshot.client.bench;

/**
 * How far an open loop's sender fell behind its schedule. Latencies still count from the intended
 * times, so they are honest either way; a sender that is often late, though, means the machine
 * running the generator was the bottleneck, not only the server.
 *
 * @param lateSends measured requests sent more than 1 ms after their intended time
 * @param maxLagMs the longest delay of a measured send behind its intended time
 */
public record SendLag(long lateSends, double maxLagMs) {}
