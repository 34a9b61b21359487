/**
 * The HTTP/JSON port: the API's RPCs at the routes of their {@code google.api.http} options, in the
 * proto3 JSON mapping (and a multipart form for images), called through an in-process channel on
 * the gRPC port's own intercepted service; gRPC statuses become HTTP statuses with the
 * google.rpc.Status as the body; and the playground page at {@code /}.
 */
package zeroshot.server.http;
