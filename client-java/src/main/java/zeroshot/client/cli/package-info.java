/**
 * The {@code zeroshot} command-line client ({@link zeroshot.client.cli.ZeroShotCli}): classify,
 * embed and list models against a ZeroShot Serve server, printing tables or JSON.
 */
package zeroshot.client.cli;
