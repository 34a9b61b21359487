package zeroshot.server.model;

import java.util.List;

/** A request named a model the server has not loaded. */
public final class UnknownModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnknownModelException(String name, List<String> known) {
    super("model '" + name + "': unknown (expected one of: " + String.join(", ", known) + ")");
  }
}
