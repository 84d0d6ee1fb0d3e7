package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WeakSharedTest {
  /** Runs the collector until {@code reference} is cleared (a hang guard of 200 collections, not a timing). */
  private static boolean collected(WeakReference<?> reference) {
    for (int i = 0; i < 200 && reference.get() != null; i++) {
      System.gc();
    }
    return reference.get() == null;
  }

  @Test
  void theFirstInstanceSharedForAKeyIsTheOneEveryoneGets() {
    WeakShared<String, Object> shared = new WeakShared<>();
    Object first = new Object();
    Object second = new Object();

    assertThat(shared.get("a")).isNull();
    assertThat(shared.share("a", first)).isSameAs(first);
    assertThat(shared.share("a", second)).as("the second is discarded").isSameAs(first);
    assertThat(shared.get("a")).isSameAs(first);
    assertThat(shared.share("b", second)).isSameAs(second);
    assertThat(shared.size()).isEqualTo(2);
  }

  @Test
  void aRemovedInstanceIsNotHandedOutAgainButAnotherIsLeftShared() {
    WeakShared<String, Object> shared = new WeakShared<>();
    Object closed = new Object();
    Object fresh = new Object();
    shared.share("a", closed);

    shared.remove("a", new Object());
    assertThat(shared.get("a")).as("another instance is not removed").isSameAs(closed);
    shared.remove("a", closed);
    assertThat(shared.get("a")).isNull();
    assertThat(shared.share("a", fresh)).isSameAs(fresh);
    shared.remove("a", closed);
    assertThat(shared.get("a")).as("removing the old one again leaves the fresh one").isSameAs(fresh);
    assertThat(shared.size()).isEqualTo(1);
  }

  @Test
  void racingThreadsAllGetOneInstance() throws Exception {
    WeakShared<String, Object> shared = new WeakShared<>();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 200; round++) {
        String key = "k" + round;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Object>> got = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          got.add(threads.submit(() -> {
            start.await();
            Object held = shared.get(key);
            return held != null ? held : shared.share(key, new Object());
          }));
        }
        start.countDown();
        Object winner = got.get(0).get();
        for (Future<Object> one : got) {
          assertThat(one.get()).isSameAs(winner);
        }
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anInstanceNothingHoldsIsDroppedWithItsEntry() {
    WeakShared<String, Object> shared = new WeakShared<>();
    WeakReference<Object> dropped = shareAndForget(shared, "a");
    Object kept = new Object();
    shared.share("b", kept);

    assertThat(collected(dropped)).isTrue();
    assertThat(shared.get("a")).isNull();
    assertThat(shared.size()).as("the dropped instance's entry is gone").isEqualTo(1);
    assertThat(shared.get("b")).isSameAs(kept);
  }

  @Test
  void aKeySharedAgainAfterItsInstanceWasDroppedKeepsTheNewOne() {
    WeakShared<String, Object> shared = new WeakShared<>();
    WeakReference<Object> dropped = shareAndForget(shared, "a");
    assertThat(collected(dropped)).isTrue();

    Object fresh = new Object();
    // the old entry may still be queued for removal: removing it must not remove the fresh one
    assertThat(shared.share("a", fresh)).isSameAs(fresh);
    assertThat(shared.get("a")).isSameAs(fresh);
    assertThat(shared.size()).isEqualTo(1);
  }

  @Test
  void manyInstancesNothingHoldsDoNotStay() {
    WeakShared<Integer, byte[]> shared = new WeakShared<>();
    WeakReference<byte[]> last = null;
    for (int i = 0; i < 2_000; i++) {
      byte[] instance = new byte[1024];
      shared.share(i, instance);
      last = new WeakReference<>(instance);
    }
    assertThat(collected(last)).isTrue();
    assertThat(shared.size()).isLessThan(1_000);
  }

  /** Shares an instance and forgets it (in a frame of its own: the caller's frame holds no reference). */
  private static WeakReference<Object> shareAndForget(WeakShared<String, Object> shared, String key) {
    Object instance = new Object();
    shared.share(key, instance);
    return new WeakReference<>(instance);
  }
}
