package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import zeroshot.server.model.TestModels;

class ScaledJpegDecoderTest {
  @Test
  void aMissingLibraryIsNamedWithThePackageThatHasIt() {
    assertThatThrownBy(() -> ScaledJpegDecoder.load(List.of("libzeroshot-no-such-jpeg.so.0")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("preprocess mode fast: the JPEG library could not be loaded (")
        .hasMessageContaining("libzeroshot-no-such-jpeg.so.0")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(400))
        .hasMessageEndingWith(
            "; expected: libjpeg-turbo's TurboJPEG library, libturbojpeg.so.0"
                + " (Debian: apt-get install libturbojpeg0; Ubuntu: libturbojpeg))");
  }

  @Test
  @EnabledIf(
      value = "zeroshot.server.model.image.TurboJpegInstalled#check",
      disabledReason = TurboJpegInstalled.MISSING)
  void decodesAtEachScaleToLibjpegsSizesAndRefusesWhatIsNotTheAnnouncedPicture() throws Exception {
    ScaledJpegDecoder decoder = ScaledJpegDecoder.load();
    byte[] jpeg = Files.readAllBytes(TestModels.clipReferencePhotos().resolve("rocket.jpg"));

    for (int d : new int[] {1, 2, 4, 8}) {
      DecodedImage image = decoder.decode(jpeg, d, 640, 427);
      assertThat(image.width()).as("1/%d", d).isEqualTo((640 + d - 1) / d);
      assertThat(image.height()).as("1/%d", d).isEqualTo((427 + d - 1) / d);
    }
    assertThat(decoder.decode(jpeg, 2, 641, 427)).isNull();
    assertThat(decoder.decode(new byte[] {(byte) 0xff, (byte) 0xd8, 1, 2}, 2, 640, 427)).isNull();
    assertThatThrownBy(() -> decoder.decode(jpeg, 3, 640, 427))
        .hasMessage("denominator: 3 (expected: 1, 2, 4 or 8)");
  }
}
