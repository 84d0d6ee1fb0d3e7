package dev.iamguard.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Processes a list of items on the available cores and hands the results over in the list's order.
 * Only a small window of items runs ahead of the one being handed over, so memory holds at most
 * that many buffered results; items too large to buffer ({@code ahead} false) are processed by the
 * calling thread when their turn comes, streaming, while the pool goes on with the small ones after
 * them.
 *
 * @param <T> the items
 * @param <R> what processing an item ahead of its turn leaves (a buffered report)
 */
final class InOrder<T, R> {
  private final int threads;
  private final int window;
  private final ToLongFunction<T> weight;
  private final long budget;

  /** Runs on {@code threads} threads with {@code window} items at most ahead of the current one. */
  InOrder(int threads, int window) {
    this(threads, window, item -> 0, Long.MAX_VALUE);
  }

  /**
   * As {@link #InOrder(int, int)}, and the items ahead of the current one (those {@code ahead}
   * accepts) weigh {@code budget} at most together, but the first of them whatever it weighs: what
   * an item ahead holds until its turn (its report) grows with its weight, so the memory the
   * window takes is bounded by the budget, not by the number of threads.
   */
  InOrder(int threads, int window, ToLongFunction<T> weight, long budget) {
    this.threads = threads;
    this.window = window;
    this.weight = weight;
    this.budget = budget;
  }

  /** What to do with each item, in order. */
  interface Handler<T, R> {
    /** Takes the result of an item processed ahead of its turn. */
    void buffered(T item, R result);

    /** Processes an item on the calling thread, in its turn. */
    void inTurn(T item);
  }

  /**
   * Processes {@code items}: those {@code ahead} accepts with {@code process} on the pool (their
   * results go to {@link Handler#buffered} in order), the others with {@link Handler#inTurn}.
   * A failure of an item (an exception or an error such as OutOfMemoryError) is thrown in its
   * turn, from the calling thread.
   */
  void run(List<T> items, Predicate<T> ahead, Function<T, R> process, Handler<T, R> handler) {
    if (threads <= 1 || items.size() <= 1) {
      for (T item : items) {
        handler.inTurn(item);
      }
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "iamguard-check");
      thread.setDaemon(true);
      return thread;
    });
    try {
      List<Future<R>> running = new ArrayList<>(Collections.nCopies(items.size(), null));
      long[] weights = new long[items.size()];
      long inFlight = 0;
      int submitted = 0;
      for (int i = 0; i < items.size(); i++) {
        while (submitted < items.size() && submitted - i < window) {
          T next = items.get(submitted);
          boolean early = ahead.test(next);
          long w = early ? Math.max(0, weight.applyAsLong(next)) : 0;
          if (early && inFlight > 0 && inFlight + w > budget) {
            break; // over the budget: wait until the items before it are handed over
          }
          inFlight += w;
          weights[submitted] = w;
          running.set(submitted++, early ? pool.submit(() -> process.apply(next)) : null);
        }
        Future<R> mine = running.set(i, null);
        T item = items.get(i);
        inFlight -= weights[i];
        if (mine == null) {
          handler.inTurn(item);
        } else {
          handler.buffered(item, await(mine));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static <R> R await(Future<R> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }
}
