package zeroshot.server.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver. Both paths are given, so
 * Selenium Manager never looks for (or downloads) a browser or a driver.
 */
public final class HeadlessChromium {
  public static final Path BINARY = Path.of("/usr/bin/chromium");
  public static final Path DRIVER = Path.of("/usr/bin/chromedriver");

  /** Why browser tests are skipped. */
  public static final String MISSING =
      "browser tests need /usr/bin/chromium and /usr/bin/chromedriver"
          + " (apt-get install chromium chromium-driver)";

  private HeadlessChromium() {}

  /**
   * Whether both are installed: for a class-level {@code @EnabledIf}, so that browser tests are
   * counted as skipped, with {@link #MISSING}, where they are not; says which is missing on stderr.
   */
  public static boolean installed() {
    for (Path program : List.of(BINARY, DRIVER)) {
      if (!Files.isExecutable(program)) {
        System.err.println("skipping the browser tests: " + program + " not found");
        return false;
      }
    }
    return true;
  }

  /** A new browser whose profile lives in {@code profile}, with a 1024 × 900 px window. */
  public static ChromeDriver start(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        // Without these Chromium keeps calling Google's services, which a test has no use for
        // and which fail (slowly) on a machine without a network.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1024,900",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService driver =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(DRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(driver, options);
  }
}
