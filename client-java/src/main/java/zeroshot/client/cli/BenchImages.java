package zeroshot.client.cli;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import zeroshot.cli.ReportedPath;
import zeroshot.client.bench.GeneratedImages;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.Image;

/** The images of {@code zeroshot bench}: a folder's, or generated ones. */
final class BenchImages {

  /** The default of --generate when no source is given. */
  static final int DEFAULT_GENERATED = 64;

  private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

  private BenchImages() {}

  /** At most one of --images and --generate (a picocli argument group). */
  static final class Source {
    @Option(
        names = "--images",
        paramLabel = "DIR",
        description = "Send the images of this folder (jpg, jpeg, png, gif, bmp, webp), in turn.")
    Path dir;

    @Option(
        names = "--generate",
        paramLabel = "N",
        description =
            "Send N generated PNG images of --size (deterministic for --seed). Default, without"
                + " --images: "
                + DEFAULT_GENERATED)
    Integer generate;

    /** The report's "images": the count and where they come from (see {@link ReportedPath}). */
    Map<String, Object> describe(int count, String size) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("count", count);
      json.put("source", dir != null ? ReportedPath.of(dir) : "generated " + size + " PNG");
      return json;
    }
  }

  /** Reads the folder or generates the images; fails as a usage error with none. */
  static List<byte[]> load(Source source, String size, long seed, CommandSpec spec) {
    if (source.dir != null) {
      List<byte[]> images = new ArrayList<>();
      for (Path file : ImageFolder.list(source.dir)) {
        images.add(InputFiles.read(file));
      }
      if (images.isEmpty()) {
        throw new CliException(
            ZeroShotCli.EXIT_BAD_REQUEST,
            source.dir + ": no images (expected: " + ImageFolder.expected() + ")");
      }
      return images;
    }
    int count = source.generate == null ? DEFAULT_GENERATED : source.generate;
    Matcher m = SIZE.matcher(size);
    if (count < 1
        || !m.matches()
        || Integer.parseInt(m.group(1)) < 1
        || Integer.parseInt(m.group(2)) < 1) {
      throw new ParameterException(
          spec.commandLine(),
          "--generate "
              + count
              + " --size "
              + size
              + " (expected: N >= 1 and WxH such as 224x224)");
    }
    return GeneratedImages.png(
        count, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), seed);
  }

  /** The request classifying {@code image}, from the labels' request. */
  static ClassifyRequest request(ClassifyRequest.Builder labelled, byte[] image) {
    return labelled.setImage(Image.newBuilder().setEncoded(ByteString.copyFrom(image))).build();
  }
}
