package zeroshot.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import zeroshot.server.config.SecuritySettings;
import zeroshot.server.model.ManifestReader;
import zeroshot.server.model.TestModels;
import zeroshot.server.testing.HeadlessChromium;
import zeroshot.server.testing.RunningServer;
import zeroshot.v1.LabelSet;
import zeroshot.v1.LabelSetEntry;
import zeroshot.v1.PutLabelSetRequest;

/**
 * The playground page in headless Chromium, against the bundled model on a real server: an image
 * classified against typed labels and against a label set, errors shown in words, a bearer token
 * sent, and the page used from the keyboard alone. Saves screenshots in {@code target/playground/}.
 */
@EnabledIf(
    value = "zeroshot.server.testing.HeadlessChromium#installed",
    disabledReason = HeadlessChromium.MISSING)
class PlaygroundBrowserTest {
  private static final Path SAMPLE =
      TestModels.tinyClip().resolve("samples/shape_013_red_star.png");
  private static final Path SCREENSHOTS = Path.of("target/playground");
  private static final Dimension WINDOW = new Dimension(1024, 900);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path profile;
  private static RunningServer running;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    running = RunningServer.readyOnTinyClip();
    browser = HeadlessChromium.start(profile);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (running != null) {
      running.close();
    }
  }

  @BeforeEach
  void openPlayground() {
    browser.manage().window().setSize(WINDOW);
    browser.get("http://127.0.0.1:" + running.server.httpPort() + "/");
    waitForModels();
    assertThat(browser.findElement(By.id("model")).getDomProperty("value")).isEqualTo("tiny-clip");
  }

  @Test
  void ranksTypedLabelsForAnUploadedImageWithProbabilitiesCosinesAndLatency() throws Exception {
    classifySample("red star,red circle,green star,blue square");

    List<WebElement> rows = resultRows();
    assertThat(rows)
        .extracting(PlaygroundBrowserTest::label)
        .containsExactlyInAnyOrder("red star", "red circle", "green star", "blue square")
        .first()
        .isEqualTo("red star");
    List<Double> percents = new ArrayList<>();
    for (WebElement row : rows) {
      String percent = row.findElement(By.className("probability")).getText();
      assertThat(percent).matches("\\d{1,3}\\.\\d %");
      percents.add(Double.parseDouble(percent.replace(" %", "")));
      assertThat(row.findElement(By.className("cosine")).getText())
          .matches("cosine -?\\d\\.\\d{3}");
    }
    assertThat(percents).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(percents.stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(100, within(0.5));
    assertThat(text("latency")).matches("Latency: \\d+\\.\\d ms");
    assertThat(text("answered-by"))
        .isEqualTo("Model: tiny-clip " + ManifestReader.read(TestModels.tinyClip()).version());
    assertThat(text("error")).isEmpty();
    assertThat(browser.findElement(By.id("preview")).getDomAttribute("alt"))
        .isEqualTo("Preview of shape_013_red_star.png");
    screenshot("playground.png", WINDOW.width);
  }

  @Test
  void fitsA360PxWideScreenWithoutScrollingSideways() throws IOException {
    classifySample("red star,red circle,green star,blue square");
    resultRows();

    browser.manage().window().setSize(new Dimension(360, 800));
    Long overflow =
        (Long)
            browser.executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(overflow).as("horizontal overflow at 360 px, in px").isZero();
    screenshot("playground-narrow.png", 360);
  }

  @Test
  void ranksTheLabelsOfALabelSetChosenFromTheList() {
    LabelSet.Builder shapes = LabelSet.newBuilder().setName("shapes").setModel("tiny-clip");
    for (String label : List.of("blue circle", "red star", "green square")) {
      shapes.addLabels(LabelSetEntry.newBuilder().setLabel(label));
    }
    shapes.addPromptTemplates("a photo of a {}");
    running.blocking().putLabelSet(PutLabelSetRequest.newBuilder().setLabelSet(shapes).build());
    browser.navigate().refresh();
    waitForModels();
    waitUntil(
        "label sets listed",
        () -> !browser.findElements(By.cssSelector("#label-set option")).isEmpty());

    browser.findElement(By.id("labels-named")).click();
    assertThat(text("label-set")).isEqualTo("shapes (3 labels)");
    browser.findElement(By.id("image-input")).sendKeys(SAMPLE.toString());
    browser.findElement(By.id("classify")).click();

    assertThat(resultRows())
        .extracting(PlaygroundBrowserTest::label)
        .containsExactlyInAnyOrder("blue circle", "red star", "green square")
        .first()
        .isEqualTo("red star");
  }

  @Test
  void showsTheServersErrorInWords() {
    classifySample("red star,red star");

    waitUntil("an error shown", () -> !text("error").isEmpty());
    assertThat(text("error"))
        .contains("INVALID_ARGUMENT: labels[1]: \"red star\" repeats labels[0]")
        .contains("(expected: distinct labels)")
        .contains("HTTP 400");
    assertThat(browser.findElement(By.id("error")).getDomAttribute("role")).isEqualTo("alert");
    assertThat(browser.findElements(By.cssSelector("#results li"))).isEmpty();
  }

  @Test
  void saysThatATokenIsNeededAndSendsTheOneTyped(@TempDir Path dir) throws Exception {
    String token = "s3cret-token-0123456789";
    Path tokenFile = Files.writeString(dir.resolve("token"), token + "\n");
    SecuritySettings tokenOnPlaintext =
        new SecuritySettings(
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(tokenFile), -1, true);
    try (RunningServer guarded = RunningServer.readyWithFake(tokenOnPlaintext)) {
      browser.get("http://127.0.0.1:" + guarded.server.httpPort() + "/");
      waitUntil("an error shown", () -> !text("error").isEmpty());
      assertThat(text("error")).startsWith("UNAUTHENTICATED: ").contains("HTTP 401");
      assertThat(browser.findElements(By.cssSelector("#model option"))).isEmpty();

      browser.findElement(By.id("token")).sendKeys(token, Keys.TAB); // lists the models again
      waitForModels();
      assertThat(text("error")).isEmpty();
      browser.findElement(By.id("input-text")).click();
      browser.findElement(By.id("text-input")).sendKeys("a red star");
      browser.findElement(By.id("labels")).sendKeys("red star,blue circle");
      browser.findElement(By.id("classify")).click();
      assertThat(resultRows()).hasSize(2);
    }
  }

  @Test
  void everyControlHasALabelAndAnAccessibleName() {
    for (WebElement control : browser.findElements(By.cssSelector("input, select"))) {
      String id = control.getDomAttribute("id");
      assertThat(browser.findElements(By.cssSelector("label[for='" + id + "']")))
          .as(id)
          .isNotEmpty();
      if (control.isDisplayed()) {
        assertThat(control.getAccessibleName()).as(id).isNotBlank();
      }
    }
    assertThat(browser.findElement(By.id("result")).getDomAttribute("aria-live"))
        .isEqualTo("polite");
  }

  @Test
  void tabReachesEveryControlInOrder() {
    List<String> tabOrder = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      press(Keys.TAB);
      tabOrder.add(focused());
    }
    assertThat(tabOrder)
        .containsExactly(
            "model",
            "input-image",
            "image-input",
            "labels-typed",
            "labels",
            "template",
            "top-k",
            "token",
            "classify");
  }

  @Test
  void classifiesATextTypedFromTheKeyboardOnEnter() {
    press(Keys.TAB, Keys.TAB, Keys.ARROW_RIGHT); // the input radios: from Image to Text
    assertThat(focused()).isEqualTo("input-text");
    press(Keys.TAB);
    assertThat(focused()).isEqualTo("text-input");
    press("a photo of a red star", Keys.TAB, Keys.TAB);
    assertThat(focused()).isEqualTo("labels");
    press("blue circle,red star", Keys.ENTER);

    assertThat(resultRows())
        .extracting(PlaygroundBrowserTest::label)
        .containsExactly("red star", "blue circle");
  }

  private static void classifySample(String labels) {
    browser.findElement(By.id("image-input")).sendKeys(SAMPLE.toString());
    browser.findElement(By.id("labels")).sendKeys(labels);
    browser.findElement(By.id("classify")).click();
  }

  private static void waitForModels() {
    waitUntil(
        "models listed", () -> !browser.findElements(By.cssSelector("#model option")).isEmpty());
  }

  private static List<WebElement> resultRows() {
    waitUntil(
        "ranked labels shown",
        () -> !browser.findElements(By.cssSelector("#results li")).isEmpty());
    return browser.findElements(By.cssSelector("#results li"));
  }

  private static String label(WebElement row) {
    return row.findElement(By.className("label")).getText();
  }

  private static String text(String id) {
    return browser.findElement(By.id(id)).getText();
  }

  private static String focused() {
    return browser.switchTo().activeElement().getDomAttribute("id");
  }

  private static void press(CharSequence... keys) {
    Actions actions = new Actions(browser);
    for (CharSequence key : keys) {
      actions.sendKeys(key);
    }
    actions.perform();
  }

  private static void waitUntil(String what, BooleanSupplier condition) {
    new WebDriverWait(browser, WAIT)
        .withMessage(() -> what + " (#error says: \"" + text("error") + "\")")
        .until(d -> condition.getAsBoolean());
  }

  /** The whole page at {@code width} px, as a build artefact. */
  private static void screenshot(String name, int width) throws IOException {
    browser.manage().window().setSize(new Dimension(width, WINDOW.height));
    Long height =
        (Long)
            browser.executeScript(
                "return document.documentElement.scrollHeight"
                    + " + window.outerHeight - window.innerHeight");
    browser.manage().window().setSize(new Dimension(width, Math.toIntExact(height)));
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }
}
