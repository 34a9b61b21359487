package zeroshot.client.bench;

/** Hears how far a step has got, a few times a second, from the thread driving the step. */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that ignores everything. */
  ProgressListener NONE = (warmingUp, fractionDone, ok, errors) -> {};

  /**
   * Reports progress.
   *
   * @param warmingUp whether the step is still in its warm-up
   * @param fractionDone how much of the phase is done, 0 to 1 (by time, or by requests when the
   *     request bound is nearer)
   * @param ok requests answered successfully in the measured phase
   * @param errors requests failed in the measured phase
   */
  void update(boolean warmingUp, double fractionDone, long ok, long errors);
}
