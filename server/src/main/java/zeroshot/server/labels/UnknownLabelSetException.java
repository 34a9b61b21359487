package zeroshot.server.labels;

import java.util.List;
import zeroshot.server.messages.Echo;

/** A request named a label set the model does not have. */
public final class UnknownLabelSetException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownLabelSetException(String model, String name, List<String> known) {
    super(
        "label set '"
            + Echo.value(name)
            + "' for model '"
            + Echo.value(model)
            + "': unknown (expected one of: "
            + (known.isEmpty() ? "none defined; create one with PutLabelSet" : Echo.names(known))
            + (known.size() > Echo.MAX_NAMES ? "; ListLabelSets lists them all" : "")
            + ")");
  }
}
