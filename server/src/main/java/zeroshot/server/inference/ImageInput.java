package zeroshot.server.inference;

import static java.util.Objects.requireNonNull;

/** An image as a request carries it: encoded bytes or raw interleaved pixels. */
public sealed interface ImageInput extends ClassifyQuery.Input {

  /** JPEG, PNG, GIF, BMP or WebP bytes. */
  record Encoded(byte[] bytes) implements ImageInput {
    public Encoded {
      requireNonNull(bytes, "bytes");
    }
  }

  /** Row-major interleaved 8-bit pixels; {@code channels} 3 (RGB) or 4 (RGBA). */
  record Raw(byte[] pixels, int width, int height, int channels) implements ImageInput {
    public Raw {
      requireNonNull(pixels, "pixels");
    }
  }
}
