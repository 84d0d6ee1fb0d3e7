package dev.iamguard.jdbc;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Helpers that force an interleaving of threads without sleeping. */
final class Interleavings {
  private Interleavings() {}

  /**
   * Returns once {@code thread} has ended or waits (for a lock or monitor of the guard's, held by the
   * thread that called this): from then on, what it does next depends on that thread. A bound of
   * 30 s stands only against a hang; nothing is measured.
   */
  static void awaitEndedOrWaiting(Thread thread) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (thread.isAlive() && System.nanoTime() < deadline) {
      Thread.State state = thread.getState();
      if (state == Thread.State.BLOCKED || state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING) {
        return;
      }
      Thread.onSpinWait();
    }
  }

  static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("timed out waiting for the other thread");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A thread running {@code body}, started; its failure is kept in {@code failure[0]}. */
  static Thread start(String name, Throwable[] failure, ThrowingRunnable body) {
    Thread thread = new Thread(() -> {
      try {
        body.run();
      } catch (Throwable e) {
        failure[0] = e;
      }
    }, name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static void join(Thread thread) throws InterruptedException {
    thread.join(TimeUnit.SECONDS.toMillis(30));
    if (thread.isAlive()) {
      throw new IllegalStateException(thread.getName() + " did not end");
    }
  }
}
