/**
 * Who may call the API: TLS and mutual-TLS credentials for the gRPC port ({@link
 * zeroshot.server.security.ServerTls}, which checks that the key matches the certificate) and the
 * bearer-token check ({@link zeroshot.server.security.BearerTokenAuth}, a gRPC interceptor on the
 * {@code zeroshot.v1} service only; health and reflection stay open), which warns when the token
 * file is readable by others ({@code TokenFilePermissions}). The files are named in {@link
 * zeroshot.server.config.SecuritySettings} and read once, at start.
 */
package zeroshot.server.security;
