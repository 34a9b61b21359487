package zeroshot.server.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks at start that the TLS key belongs to the first certificate of the chain. Netty accepts a
 * mismatched pair, the server then reports SERVING, and every handshake fails: a misconfiguration
 * that should stop the start, naming both files.
 */
final class KeyPairCheck {
  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final byte[] CHALLENGE =
      "zeroshot-serve key pair check".getBytes(StandardCharsets.US_ASCII);

  private KeyPairCheck() {}

  /**
   * Signs a challenge with the key and verifies it with the certificate's public key.
   *
   * @throws IllegalArgumentException if the key does not belong to the certificate, or either
   *     cannot be parsed
   */
  static void requireMatch(byte[] chainPem, Path chainFile, byte[] keyPem, Path keyFile) {
    X509Certificate leaf;
    try {
      leaf =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(chainPem));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException(
          "--tls-cert: " + chainFile + " cannot be read as an X.509 certificate: " + e, e);
    }
    PublicKey publicKey = leaf.getPublicKey();
    PrivateKey privateKey = privateKey(keyPem, keyFile, publicKey.getAlgorithm());
    boolean match;
    try {
      // A key type the JDK cannot sign with here (RSASSA-PSS with parameters, say) is left to the
      // TLS library: this check refuses only a pair that it has shown not to match.
      Signature signer = Signature.getInstance(signatureAlgorithm(publicKey.getAlgorithm()));
      signer.initSign(privateKey);
      signer.update(CHALLENGE);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(signatureAlgorithm(publicKey.getAlgorithm()));
      verifier.initVerify(publicKey);
      verifier.update(CHALLENGE);
      match = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return;
    }
    if (!match) {
      throw new IllegalArgumentException(
          "--tls-key: "
              + keyFile
              + " is not the private key of the certificate in --tls-cert "
              + chainFile
              + " (expected: the key the first certificate of the chain was issued for; compare"
              + " 'openssl x509 -noout -pubkey -in CERT' with 'openssl pkey -pubout -in KEY')");
    }
  }

  private static PrivateKey privateKey(byte[] pem, Path file, String algorithm) {
    Matcher m = PRIVATE_KEY.matcher(new String(pem, StandardCharsets.US_ASCII));
    if (!m.find()) {
      throw new IllegalArgumentException(
          "--tls-key: " + file + " (expected: a PEM file with BEGIN PRIVATE KEY)");
    }
    byte[] der = Base64.getMimeDecoder().decode(m.group(1));
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "--tls-key: "
              + file
              + " is not a "
              + algorithm
              + " private key, the type of the certificate's key in --tls-cert",
          e);
    }
  }

  private static String signatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> keyAlgorithm; // Ed25519, Ed448, EdDSA sign with their own name
    };
  }
}
