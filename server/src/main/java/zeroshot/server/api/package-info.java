/**
 * The gRPC face of the server: {@link zeroshot.server.api.ZeroShotGrpcService} validates a request
 * and maps it from protobuf ({@code RequestMapper}), hands it to the {@link
 * zeroshot.server.inference.ZeroShotEngine} and maps the answer back ({@code ResponseMapper}); a
 * ClassifyStream call is one {@code ClassifyStreamHandler} with manual flow control. Every failure
 * becomes a gRPC status in one place, {@code StatusMapper}. Around the service sit the interceptors
 * that admit calls ({@link zeroshot.server.api.AdmissionLimit}) and count open ones ({@link
 * zeroshot.server.api.InFlightCalls}), and {@code MalformedRequests}, which answers bytes that are
 * not a valid request with INVALID_ARGUMENT.
 *
 * <p>This is the only package that sees the API's protobuf messages ({@code zeroshot.v1}); gRPC
 * types appear elsewhere only in the wiring and in the interceptors and credentials of {@code
 * metrics} and {@code security}. Nothing below it knows about either.
 */
package zeroshot.server.api;
