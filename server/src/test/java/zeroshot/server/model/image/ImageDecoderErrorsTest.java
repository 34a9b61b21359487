package zeroshot.server.model.image;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static zeroshot.server.model.image.ImageFixtures.bytes;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zeroshot.server.model.image.InvalidImageException.Reason;

/** Bad input is refused with a reason and a message that says what was expected. */
class ImageDecoderErrorsTest {
  private final ImageDecoder decoder = new ImageDecoder(40_000_000);

  @Test
  void emptyInputIsEmpty() {
    InvalidImageException e = refused(new byte[0]);

    assertThat(e.reason()).isEqualTo(Reason.EMPTY);
    assertThat(e).hasMessage("image is 0 bytes (expected: a JPEG, PNG, GIF, BMP or WebP file)");
  }

  @Test
  void randomBytesAndTextAreNotAnImage() {
    byte[] random = new byte[1000];
    new Random(42).nextBytes(random);

    assertThat(refused(random).reason()).isEqualTo(Reason.NOT_AN_IMAGE);
    InvalidImageException text = refused("not an image, just text".getBytes(US_ASCII));
    assertThat(text.reason()).isEqualTo(Reason.NOT_AN_IMAGE);
    assertThat(text).hasMessageEndingWith("(expected: a JPEG, PNG, GIF, BMP or WebP file)");
  }

  @Test
  void tiffIsAnUnsupportedFormat() {
    InvalidImageException e = refused(bytes("image.tiff"));

    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
    assertThat(e)
        .hasMessage("image format tif is not supported (expected: JPEG, PNG, GIF, BMP or WebP)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"truncated.png", "truncated.jpg"})
  void cutOffFileIsTruncated(String name) {
    InvalidImageException e = refused(bytes(name));

    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(e).hasMessageEndingWith("(expected: a complete file)");
  }

  @Test
  void garbledPngDataIsCorrupt() throws IOException {
    byte[] junk = new byte[40];
    new Random(7).nextBytes(junk);

    InvalidImageException e = refused(png(4, 4, junk));

    assertThat(e.reason()).isEqualTo(Reason.CORRUPT);
    assertThat(e).hasMessageEndingWith("(expected: a well-formed PNG file)");
  }

  @Test
  void hugeDeclaredSizeIsRefusedFromTheHeaderAlone() throws IOException {
    // 67 bytes declaring 10^10 pixels and no pixel data: decoding would need 30 GB.
    InvalidImageException e = refused(png(100_000, 100_000, null));

    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
    assertThat(e)
        .hasMessage(
            "image declares 100000x100000 = 10000000000 pixels (expected: at most 40000000)");
  }

  @Test
  void pixelLimitAppliesToEveryFormat() {
    InvalidImageException e =
        catchThrowableOfType(
            InvalidImageException.class,
            () -> new ImageDecoder(100).decode(bytes("quadrants.jpg")));

    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
    assertThat(e).hasMessage("image declares 32x24 = 768 pixels (expected: at most 100)");
  }

  @Test
  void rawPixelsWithWrongLengthAreBad() {
    InvalidImageException e = rawRefused(new byte[100], 10, 10, 3);

    assertThat(e.reason()).isEqualTo(Reason.BAD_RAW_PIXELS);
    assertThat(e).hasMessage("raw pixels: 100 bytes for 10x10x3 (expected: 300)");
  }

  @Test
  void rawPixelsNeedThreeOrFourChannelsAndPositiveSize() {
    assertThat(rawRefused(new byte[8], 2, 2, 2))
        .hasMessage("channels: 2 (expected: 3 for RGB or 4 for RGBA)")
        .extracting(InvalidImageException::reason)
        .isEqualTo(Reason.BAD_RAW_PIXELS);
    assertThat(rawRefused(new byte[0], 0, 5, 3))
        .hasMessage("raw image size: 0x5 (expected: width and height 1 to 2147483647)")
        .extracting(InvalidImageException::reason)
        .isEqualTo(Reason.BAD_RAW_PIXELS);
    assertThat(rawRefused(new byte[0], 5, -1, 4).reason()).isEqualTo(Reason.BAD_RAW_PIXELS);
  }

  @Test
  void rawSizesOverTwoToTheThirtyOneArePrintedUnsigned() {
    // The proto's uint32 4294967295 arrives as the int -1.
    assertThat(rawRefused(new byte[0], 5, -1, 4))
        .hasMessage("raw image size: 5x4294967295 (expected: width and height 1 to 2147483647)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"truncated.png", "truncated.jpg"})
  void cutOffFileIsSaidInWords(String name) {
    String format = name.endsWith(".png") ? "PNG" : "JPEG";

    assertThat(refused(bytes(name)))
        .hasMessageStartingWith("truncated image data: the " + format + " ")
        .hasMessageEndingWith(" ends early (expected: a complete file)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"rgb8.png", "palette_trns.png", "quadrants.jpg", "two_frames.gif", "image.bmp"})
  void everyCutOffPrefixIsRefusedInWordsWithoutJavaClassNames(String name) {
    byte[] image = bytes(name);
    for (int length = 1; length < image.length; length += Math.max(1, image.length / 97)) {
      byte[] prefix = java.util.Arrays.copyOf(image, length);
      InvalidImageException e;
      try {
        decoder.decode(prefix);
        continue; // some readers accept a prefix (a BMP's missing rows); nothing to say then
      } catch (InvalidImageException refused) {
        e = refused;
      }

      assertThat(e.getMessage())
          .as("%s cut to %d bytes", name, length)
          .doesNotContainPattern("[A-Za-z]+(Exception|Error)\\b")
          .doesNotContain("java.", "javax.")
          .contains("(expected: ");
    }
  }

  @Test
  void rawPixelsOverTheLimitAreTooMany() {
    InvalidImageException e = rawRefused(new byte[3], 100_000, 100_000, 3);

    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_PIXELS);
  }

  @Test
  void rawPixelsAreCopiedSoTheCallerCanReuseItsArray() throws Exception {
    byte[] pixels = {1, 2, 3, 4, 5, 6, 7, 8};

    DecodedImage image = decoder.fromRawPixels(pixels, 2, 1, 4);
    pixels[0] = 99;

    assertThat(image.hasAlpha()).isTrue();
    assertThat(image.argb(0, 0)).isEqualTo(0x04010203);
    assertThat(image.argb(1, 0)).isEqualTo(0x08050607);
  }

  @Test
  void rejectsNonPositivePixelLimit() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new ImageDecoder(0))
        .withMessage("maxPixels: 0 (expected: > 0)");
  }

  private InvalidImageException refused(byte[] encoded) {
    return catchThrowableOfType(InvalidImageException.class, () -> decoder.decode(encoded));
  }

  private InvalidImageException rawRefused(byte[] pixels, int width, int height, int channels) {
    return catchThrowableOfType(
        InvalidImageException.class, () -> decoder.fromRawPixels(pixels, width, height, channels));
  }

  /** A PNG with an 8-bit RGB IHDR, one IDAT holding {@code idat} (none if null), and IEND. */
  private static byte[] png(int width, int height, byte[] idat) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
    ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
    DataOutputStream header = new DataOutputStream(ihdr);
    header.writeInt(width);
    header.writeInt(height);
    header.write(new byte[] {8, 2, 0, 0, 0}); // 8 bits, RGB, deflate, no filter, no interlace
    chunk(out, "IHDR", ihdr.toByteArray());
    if (idat != null) {
      chunk(out, "IDAT", idat);
    }
    chunk(out, "IEND", new byte[0]);
    return bytes.toByteArray();
  }

  private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
    CRC32 crc = new CRC32();
    crc.update(type.getBytes(US_ASCII));
    crc.update(data);
    out.writeInt(data.length);
    out.write(type.getBytes(US_ASCII));
    out.write(data);
    out.writeInt((int) crc.getValue());
  }
}
