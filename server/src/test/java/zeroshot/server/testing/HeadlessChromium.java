package zeroshot.server.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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

  private HeadlessChromium() {}

  /** Skips the calling test, saying why, unless chromium and chromedriver are installed. */
  public static void assumeInstalled() {
    for (Path program : new Path[] {BINARY, DRIVER}) {
      assumeTrue(
          Files.isExecutable(program),
          program + " not found: browser tests need the chromium and chromium-driver packages");
    }
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
