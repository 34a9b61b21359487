/**
 * The one place that wires the server: {@link zeroshot.server.ServerMain} reads the configuration
 * and runs the lifecycle, {@link zeroshot.server.ZeroShotServer} builds the object graph by hand
 * (no DI framework, no static mutable state) and opens the ports through {@link
 * zeroshot.server.GrpcPorts}, {@code ModelStartup} loads, warms and registers every model, and
 * {@code StartupSummary} writes the block logged when the server is ready. Every other package is
 * below this one; see docs/architecture.md.
 */
package zeroshot.server;
