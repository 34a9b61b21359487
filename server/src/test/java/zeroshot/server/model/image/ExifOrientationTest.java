package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static zeroshot.server.model.image.ImageFixtures.bytes;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JPEGs whose pixels are stored rotated or mirrored, with the EXIF tag that undoes it, decode
 * upright: red top-left, green top-right, blue bottom-left, white bottom-right, 32x24.
 */
class ExifOrientationTest {
  private final ImageDecoder decoder = new ImageDecoder(1_000_000);

  @ParameterizedTest(name = "orientation {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void jpegIsTurnedUprightByItsExifOrientation(int orientation) throws Exception {
    byte[] jpeg = bytes("exif_orientation_" + orientation + ".jpg");

    DecodedImage image = decoder.decode(jpeg);

    assertThat(ExifOrientation.read(jpeg)).isEqualTo(orientation);
    assertThat(image.width()).isEqualTo(32);
    assertThat(image.height()).isEqualTo(24);
    ImageDecoderFormatsTest.assertQuadrants(image, 8);
  }

  @ParameterizedTest
  @ValueSource(strings = {"quadrants.jpg", "rgb8.png"})
  void missingExifMeansNormalOrientation(String name) {
    assertThat(ExifOrientation.read(bytes(name))).isEqualTo(ExifOrientation.NORMAL);
  }
}
