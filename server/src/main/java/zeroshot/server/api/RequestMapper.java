package zeroshot.server.api;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import zeroshot.server.config.Limits;
import zeroshot.server.inference.Candidates;
import zeroshot.server.inference.ClassifyQuery;
import zeroshot.server.inference.ImageInput;
import zeroshot.server.labels.PromptTemplate;
import zeroshot.server.messages.Echo;
import zeroshot.server.messages.InvalidFieldException;
import zeroshot.server.messages.TextRule;
import zeroshot.v1.ClassifyRequest;
import zeroshot.v1.EmbedImagesRequest;
import zeroshot.v1.EmbedTextsRequest;
import zeroshot.v1.Image;
import zeroshot.v1.RawImage;

/**
 * Checks requests against the documented rules and limits and maps them from protobuf to the
 * engine's types. Image contents are checked later, when they are decoded off the gRPC thread.
 */
final class RequestMapper {
  private final Limits limits;

  RequestMapper(Limits limits) {
    this.limits = requireNonNull(limits, "limits");
  }

  ClassifyQuery classify(ClassifyRequest r) throws InvalidFieldException {
    ClassifyQuery.Input input =
        switch (r.getInputCase()) {
          case IMAGE -> image(r.getImage(), "image");
          case TEXT -> new ClassifyQuery.Text(text(r.getText(), "text"));
          default -> throw new InvalidFieldException("input", "none (expected: image or text)");
        };
    if (r.getTopK() < 0) {
      throw new InvalidFieldException(
          "top_k", r.getTopK() + " (expected: >= 0; 0 means all labels)");
    }
    Optional<Float> minScore = Optional.empty();
    if (r.hasMinScore()) {
      float value = r.getMinScore().getValue();
      if (!(value >= -1 && value <= 1)) {
        throw new InvalidFieldException("min_score", value + " (expected: a cosine in -1..1)");
      }
      minScore = Optional.of(value);
    }
    return new ClassifyQuery(r.getModel(), input, candidates(r), r.getTopK(), minScore);
  }

  private Candidates candidates(ClassifyRequest r) throws InvalidFieldException {
    if (!r.getLabelSet().isEmpty()) {
      if (r.getLabelsCount() > 0) {
        throw new InvalidFieldException(
            "label_set", "given with labels (expected: labels or label_set, not both)");
      }
      if (!r.getPromptTemplate().isEmpty()) {
        throw new InvalidFieldException(
            "prompt_template",
            "given with label_set (expected: empty; the set's own templates apply)");
      }
      return new Candidates.Named(r.getLabelSet());
    }
    List<String> labels = labels(r.getLabelsList());
    try {
      return new Candidates.AdHoc(labels, PromptTemplate.parse(r.getPromptTemplate()));
    } catch (IllegalArgumentException e) {
      throw new InvalidFieldException("prompt_template", e.getMessage());
    }
  }

  List<ImageInput> images(EmbedImagesRequest r) throws InvalidFieldException {
    batchSize(r.getImagesCount(), "images");
    List<ImageInput> images = new ArrayList<>(r.getImagesCount());
    for (int i = 0; i < r.getImagesCount(); i++) {
      images.add(image(r.getImages(i), "images[" + i + "]"));
    }
    return images;
  }

  List<String> texts(EmbedTextsRequest r) throws InvalidFieldException {
    batchSize(r.getTextsCount(), "texts");
    for (int i = 0; i < r.getTextsCount(); i++) {
      text(r.getTexts(i), "texts[" + i + "]");
    }
    return List.copyOf(r.getTextsList());
  }

  private List<String> labels(List<String> labels) throws InvalidFieldException {
    if (labels.isEmpty()) {
      throw new InvalidFieldException(
          "labels",
          "none (expected: 1 to " + limits.maxLabels() + " candidate labels, or a label_set)");
    }
    if (labels.size() > limits.maxLabels()) {
      throw new InvalidFieldException(
          "labels", labels.size() + " labels (expected: at most " + limits.maxLabels() + ")");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      String label = labels.get(i);
      String field = "labels[" + i + "]";
      TextRule.check(field, label, "label", limits.maxLabelChars());
      Integer first = seen.putIfAbsent(label, i);
      if (first != null) {
        throw new InvalidFieldException(
            field,
            "\""
                + Echo.value(label)
                + "\" repeats labels["
                + first
                + "] (expected: distinct labels)");
      }
    }
    return List.copyOf(labels);
  }

  private String text(String text, String field) throws InvalidFieldException {
    TextRule.check(field, text, "text", limits.maxTextChars());
    return text;
  }

  private ImageInput image(Image image, String field) throws InvalidFieldException {
    switch (image.getSourceCase()) {
      case ENCODED -> {
        imageBytes(image.getEncoded().size(), field + ".encoded");
        return new ImageInput.Encoded(image.getEncoded().toByteArray());
      }
      case RAW -> {
        return raw(image.getRaw(), field + ".raw");
      }
      default ->
          throw new InvalidFieldException(
              field, "no source (expected: encoded bytes or raw pixels)");
    }
  }

  private ImageInput raw(RawImage raw, String field) throws InvalidFieldException {
    int channels =
        switch (raw.getFormat()) {
          case PIXEL_FORMAT_RGB8 -> 3;
          case PIXEL_FORMAT_RGBA8 -> 4;
          default ->
              throw new InvalidFieldException(
                  field + ".format",
                  raw.getFormat() + " (expected: PIXEL_FORMAT_RGB8 or PIXEL_FORMAT_RGBA8)");
        };
    // width and height are uint32: an int over 2^31 - 1 reads negative, so print it unsigned.
    String size =
        Integer.toUnsignedString(raw.getWidth()) + "x" + Integer.toUnsignedString(raw.getHeight());
    if (raw.getWidth() == 0 || raw.getHeight() == 0) {
      throw new InvalidFieldException(field, size + " pixels (expected: width, height > 0)");
    }
    long pixels = Integer.toUnsignedLong(raw.getWidth()) * Integer.toUnsignedLong(raw.getHeight());
    if (pixels > limits.maxImagePixels()) {
      throw new InvalidFieldException(
          field,
          size + " = " + pixels + " pixels (expected: at most " + limits.maxImagePixels() + ")");
    }
    imageBytes(raw.getPixels().size(), field + ".pixels");
    return new ImageInput.Raw(
        raw.getPixels().toByteArray(), raw.getWidth(), raw.getHeight(), channels);
  }

  private void imageBytes(int bytes, String field) throws InvalidFieldException {
    if (bytes > limits.maxImageBytes()) {
      throw new InvalidFieldException(
          field, bytes + " bytes (expected: at most " + limits.maxImageBytes() + ")");
    }
  }

  private void batchSize(int count, String field) throws InvalidFieldException {
    if (count == 0) {
      throw new InvalidFieldException(
          field, "none (expected: 1 to " + limits.maxBatchItems() + " items)");
    }
    if (count > limits.maxBatchItems()) {
      throw new InvalidFieldException(
          field, count + " items (expected: at most " + limits.maxBatchItems() + ")");
    }
  }
}
