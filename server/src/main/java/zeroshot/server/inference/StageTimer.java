package zeroshot.server.inference;

/** Where the engine reports how long its steps took (metrics); it never steers the engine. */
public interface StageTimer {
  /** One image of {@code model} was decoded and preprocessed in {@code nanos}. */
  void preprocessed(String model, long nanos);

  StageTimer NONE = (model, nanos) -> {};
}
