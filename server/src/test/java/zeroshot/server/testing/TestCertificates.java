package zeroshot.server.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made at test time, and the server and client certificates it signs, as
 * PEM files: no key is ever committed. EC P-256 keys, which take milliseconds to generate.
 */
public final class TestCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  /** A certificate and its PKCS#8 private key, as PEM files. */
  public record Issued(Path certificate, Path privateKey) {}

  private final Path dir;
  private final String name;
  private final KeyPair keys;
  private final X509CertificateHolder certificate;

  private TestCertificates(Path dir, String name, KeyPair keys, X509CertificateHolder certificate) {
    this.dir = dir;
    this.name = name;
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A new self-signed authority called {@code name}, writing its files into {@code dir}. */
  public static TestCertificates authority(Path dir, String name) throws Exception {
    KeyPair keys = newKeys();
    X500Name subject = new X500Name("CN=" + name);
    X509v3CertificateBuilder builder =
        builder(subject, subject, keys)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return new TestCertificates(dir, name, keys, sign(builder, keys));
  }

  /** The authority's certificate, as a PEM file clients or servers trust. */
  public Path certificate() throws IOException {
    return writePem(dir.resolve(name + "-ca.pem"), "CERTIFICATE", certificate.getEncoded());
  }

  /** A server certificate for localhost and 127.0.0.1. */
  public Issued server(String commonName) throws Exception {
    GeneralNames names =
        new GeneralNames(
            new GeneralName[] {
              new GeneralName(GeneralName.dNSName, "localhost"),
              new GeneralName(GeneralName.iPAddress, "127.0.0.1")
            });
    return issue(commonName, KeyPurposeId.id_kp_serverAuth, names);
  }

  /** A client certificate, for mutual TLS. */
  public Issued client(String commonName) throws Exception {
    return issue(commonName, KeyPurposeId.id_kp_clientAuth, null);
  }

  private Issued issue(String commonName, KeyPurposeId purpose, GeneralNames names)
      throws Exception {
    KeyPair leaf = newKeys();
    X509v3CertificateBuilder builder =
        builder(certificate.getSubject(), new X500Name("CN=" + commonName), leaf)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
    if (names != null) {
      builder.addExtension(Extension.subjectAlternativeName, false, names);
    }
    X509CertificateHolder issued = sign(builder, keys);
    return new Issued(
        writePem(dir.resolve(commonName + ".pem"), "CERTIFICATE", issued.getEncoded()),
        writePem(dir.resolve(commonName + ".key"), "PRIVATE KEY", leaf.getPrivate().getEncoded()));
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))),
        subject,
        keys.getPublic());
  }

  private static X509CertificateHolder sign(X509v3CertificateBuilder builder, KeyPair signer)
      throws OperatorCreationException {
    return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** {@code der} as PEM; a JDK private key's encoding is PKCS#8, the form the server reads. */
  private static Path writePem(Path file, String type, byte[] der) throws IOException {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    String pem = "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    return Files.writeString(file, pem, StandardCharsets.US_ASCII);
  }
}
