package zeroshot.server.labels;

import java.util.List;

/** A request named a label set the model does not have. */
public final class UnknownLabelSetException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownLabelSetException(String model, String name, List<String> known) {
    super(
        "label set '"
            + name
            + "' for model '"
            + model
            + "': unknown (expected one of: "
            + (known.isEmpty()
                ? "none defined; create one with PutLabelSet"
                : String.join(", ", known))
            + ")");
  }
}
