package zeroshot.server.model.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Resizing only a window gives exactly the bytes of that window of the whole resized image. */
class PillowResizeWindowTest {
  @ParameterizedTest
  @EnumSource(Interpolation.class)
  void everyWindowEqualsTheSamePartOfTheWholeResult(Interpolation filter) {
    Random random = new Random(15);
    for (int round = 0; round < 300; round++) {
      int channels = random.nextBoolean() ? 3 : 4;
      int width = 1 + random.nextInt(90);
      int height = 1 + random.nextInt(90);
      // Down, up and unchanged sizes on each axis.
      int outWidth = random.nextInt(4) == 0 ? width : 1 + random.nextInt(70);
      int outHeight = random.nextInt(4) == 0 ? height : 1 + random.nextInt(70);
      byte[] pixels = new byte[width * height * channels];
      random.nextBytes(pixels);
      int left = random.nextInt(outWidth);
      int top = random.nextInt(outHeight);
      Window window =
          new Window(
              left,
              top,
              left + 1 + random.nextInt(outWidth - left),
              top + 1 + random.nextInt(outHeight - top));

      byte[] whole =
          PillowResize.resize(
              pixels,
              width,
              height,
              channels,
              outWidth,
              outHeight,
              filter,
              Window.all(outWidth, outHeight));
      byte[] part =
          PillowResize.resize(pixels, width, height, channels, outWidth, outHeight, filter, window);

      assertThat(whole).hasSize(outWidth * outHeight * channels);
      assertThat(part)
          .as("%dx%dx%d to %dx%d, %s", width, height, channels, outWidth, outHeight, window)
          .containsExactly(window.cut(whole, outWidth, channels));
    }
  }

  @Test
  void aWindowOutsideTheResultIsRefused() {
    assertThatThrownBy(
            () ->
                PillowResize.resize(
                    new byte[12], 2, 2, 3, 4, 4, Interpolation.BICUBIC, new Window(0, 0, 5, 4)))
        .hasMessage("window: Window[left=0, top=0, right=5, bottom=4] (expected: inside 4x4)");
    assertThatThrownBy(() -> new Window(3, 0, 3, 4))
        .hasMessage(
            "window: columns 3..3, rows 0..4 (expected: 0 <= left < right, 0 <= top < bottom)");
  }

  /**
   * RGB (its own three-channel transpose in the resampler) against RGBA (the general one): opaque
   * RGBA's premultiplication by 255 changes nothing, so its colour bytes must equal the RGB result.
   * Black-and-white noise drives the bicubic filter's negative lobes hardest.
   */
  @ParameterizedTest
  @EnumSource(
      value = Interpolation.class,
      names = {"BILINEAR", "BICUBIC"})
  void rgbGivesTheBytesOfTheGeneralPassEvenOnHarshNoise(Interpolation filter) {
    Random random = new Random(16);
    for (int round = 0; round < 100; round++) {
      int width = 1 + random.nextInt(300);
      int height = 1 + random.nextInt(60);
      int outWidth = 1 + random.nextInt(120);
      int outHeight = 1 + random.nextInt(60);
      byte[] rgb = new byte[width * height * 3];
      byte[] rgba = new byte[width * height * 4];
      for (int i = 0; i < width * height; i++) {
        for (int c = 0; c < 3; c++) {
          byte v =
              random.nextInt(4) == 0
                  ? (byte) random.nextInt(256)
                  : (byte) (random.nextBoolean() ? 255 : 0);
          rgb[i * 3 + c] = v;
          rgba[i * 4 + c] = v;
        }
        rgba[i * 4 + 3] = (byte) 255;
      }
      Window all = Window.all(outWidth, outHeight);

      byte[] fromRgb = PillowResize.resize(rgb, width, height, 3, outWidth, outHeight, filter, all);
      byte[] fromRgba =
          PillowResize.resize(rgba, width, height, 4, outWidth, outHeight, filter, all);

      byte[] colours = new byte[fromRgb.length];
      for (int i = 0; i < outWidth * outHeight; i++) {
        System.arraycopy(fromRgba, i * 4, colours, i * 3, 3);
      }
      assertThat(fromRgb)
          .as("%dx%d to %dx%d", width, height, outWidth, outHeight)
          .containsExactly(colours);
    }
  }
}
