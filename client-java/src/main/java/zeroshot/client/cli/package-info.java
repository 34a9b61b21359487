/**
 * The {@code zeroshot} command-line client ({@link zeroshot.client.cli.ZeroShotCli}): classify (one
 * input, or a folder over one stream), embed and list models against a ZeroShot Serve server,
 * printing tables or JSON.
 */
package zeroshot.client.cli;
