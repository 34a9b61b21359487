package zeroshot.server.model.image;

/**
 * Whether the fast mode's JPEG library is on this machine: for a class-level {@code @EnabledIf}, so
 * that tests of the fast mode are counted as skipped, with {@link #MISSING}, where it is not.
 */
public final class TurboJpegInstalled {
  /** Why the fast-mode tests are skipped. */
  public static final String MISSING =
      "the fast preprocessing mode needs " + ScaledJpegDecoder.EXPECTED;

  private static Boolean installed;

  private TurboJpegInstalled() {}

  /** True when {@link ScaledJpegDecoder#load()} succeeds; says why on stderr when not. */
  public static synchronized boolean check() {
    if (installed == null) {
      try {
        ScaledJpegDecoder.load();
        installed = true;
      } catch (IllegalStateException e) {
        System.err.println("skipping the fast preprocessing tests: " + e.getMessage());
        installed = false;
      }
    }
    return installed;
  }
}
