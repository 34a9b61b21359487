package zeroshot.server.model;

import java.util.List;
import zeroshot.server.messages.Echo;

/** A request named a model the server has not loaded. */
public final class UnknownModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownModelException(String name, List<String> known) {
    super(
        "model '"
            + Echo.value(name)
            + "': unknown (expected one of: "
            + Echo.names(known)
            + (known.size() > Echo.MAX_NAMES ? "; ListModels lists them all" : "")
            + ")");
  }
}
