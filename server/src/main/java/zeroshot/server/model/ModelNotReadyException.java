package zeroshot.server.model;

/** The model exists but is still loading or warming up; retrying later will work. */
public final class ModelNotReadyException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelNotReadyException(String name) {
    super("model '" + name + "' is not ready yet (loading and warming up); retry later");
  }
}
