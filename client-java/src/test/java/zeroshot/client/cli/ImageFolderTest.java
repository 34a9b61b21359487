package zeroshot.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageFolderTest {

  @ParameterizedTest
  @CsvSource({
    "a.jpg, true",
    "a.JPEG, true",
    "a.Png, true",
    "a.gif, true",
    "a.bmp, true",
    "a.webp, true",
    "a.txt, false",
    "png, false",
    "a.png.bak, false",
    ".png, true"
  })
  void imageFilesAreRecognisedByExtensionWithoutCase(String name, boolean image) {
    assertThat(ImageFolder.isImage(Path.of(name))).isEqualTo(image);
  }
}
