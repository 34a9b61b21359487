package zeroshot.server.batching;

import java.util.List;

/** Runs one batch on the model: one output per input, in order. */
@FunctionalInterface
public interface BatchRunner<I, O> {
  List<O> run(List<I> inputs);
}
