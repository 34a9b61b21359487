package zeroshot.server.batching;

/** The call's deadline passed while its items waited; they never reached the model. */
public final class DeadlineExpiredException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeadlineExpiredException(String queue) {
    super("deadline passed while waiting in the " + queue + " queue");
  }
}
