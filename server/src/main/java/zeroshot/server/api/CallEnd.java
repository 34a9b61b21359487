package zeroshot.server.api;

import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.ServerCall;

/** Runs an action once a call has ended, however it ended. */
final class CallEnd {
  private CallEnd() {}

  /** {@code listener}, telling {@code ended} after gRPC's one onComplete or onCancel. */
  static <Q> ServerCall.Listener<Q> whenEnded(ServerCall.Listener<Q> listener, Runnable ended) {
    // gRPC ends every call with exactly one of onComplete and onCancel.
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          ended.run();
        }
      }

      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          ended.run();
        }
      }
    };
  }
}
