package dev.iamguard.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secret values to mask wherever a text quotes them, prepared once for many texts: the messages of
 * a chained error or warning, one per failed batch entry or server notice. Masking each message with
 * every value of the batch, one search per value, took the square of the batch: 16,000 entries each
 * holding a key pair took 17 s to mask. Here a text is read once for each distinct value length
 * (a rolling hash of its windows, looked up among the values of that length), and only the values
 * found are replaced.
 *
 * <p>The result is that of replacing every value, longest first, one after the other: a value found
 * after longer ones were masked lies within text the masking left as it was (it holds no {@code *},
 * the only character of {@link Redactor#MASK}), so it was in the text before; the few values that
 * hold a {@code *} are replaced in any text.
 */
public final class SecretValues {
  private static final SecretValues NONE = new SecretValues(new String[0], new int[0]);
  private static final long BASE = 1_000_003L;

  /**
   * The values, longest first (in their given order among equal lengths): each once, but for one
   * that holds a {@code *}, whose repeats change what it masks.
   */
  private final String[] longestFirst;
  /** How many times in a row each value is replaced (1 but for repeats of a value that holds a {@code *}). */
  private final int[] repeats;
  /** For each distinct length: the values of that length by the rolling hash of their text. */
  private final List<Window> windows = new ArrayList<>();
  /** The indices of the values replaced in every text (they hold a {@code *}: masking may complete them). */
  private final int[] always;

  private SecretValues(String[] longestFirst, int[] repeats) {
    this.longestFirst = longestFirst;
    this.repeats = repeats;
    Map<Integer, Window> byLength = new HashMap<>();
    List<Integer> holdingMask = new ArrayList<>(0);
    for (int i = 0; i < longestFirst.length; i++) {
      String value = longestFirst[i];
      if (value.indexOf('*') >= 0) {
        holdingMask.add(i);
      }
      byLength.computeIfAbsent(value.length(), Window::new).add(hash(value, 0, value.length()), i);
    }
    windows.addAll(byLength.values());
    this.always = holdingMask.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * The values of {@code secrets} to mask: nulls and values shorter than {@code minLength} left out
   * (a short value would mask ordinary words).
   */
  public static SecretValues of(Collection<String> secrets, int minLength) {
    List<String> ordered = new ArrayList<>(secrets.size());
    for (String secret : secrets) {
      if (secret != null && secret.length() >= minLength) {
        ordered.add(secret);
      }
    }
    if (ordered.isEmpty()) {
      return NONE;
    }
    ordered.sort(Comparator.comparingInt(String::length).reversed()); // a secret may hold a shorter one
    // a value without '*' replaced again changes nothing (what it matched is masked, and a mask holds
    // none of its chars), so it is kept once; repeats of one with '*' are counted where they follow
    // each other, and replaced until they change nothing
    Set<String> seen = new HashSet<>();
    List<String> values = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    for (String value : ordered) {
      boolean holdsMask = value.indexOf('*') >= 0;
      if (!holdsMask && seen.add(value) || holdsMask && (values.isEmpty() || !values.get(values.size() - 1).equals(value))) {
        values.add(value);
        counts.add(1);
      } else if (holdsMask) {
        counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
      }
    }
    return new SecretValues(values.toArray(new String[0]), counts.stream().mapToInt(Integer::intValue).toArray());
  }

  /** {@code text} with every occurrence of every value replaced by {@link Redactor#MASK}, longest values first. */
  public String mask(String text) {
    if (text == null || longestFirst.length == 0) {
      return text;
    }
    // the values found, as indices: a text holds a few of them, however many there are
    Found found = new Found(always);
    for (Window window : windows) {
      window.find(text, longestFirst, found);
    }
    if (found.count == 0) {
      return text;
    }
    int[] order = java.util.Arrays.copyOf(found.indices, found.count);
    java.util.Arrays.sort(order); // longest first, as the values are
    String masked = text;
    int last = -1;
    for (int i : order) {
      if (i == last) {
        continue;
      }
      last = i;
      for (int r = 0; r < repeats[i]; r++) {
        String next = masked.replace(longestFirst[i], Redactor.MASK);
        if (next.equals(masked)) {
          break; // replaced again, it would change nothing again
        }
        masked = next;
      }
    }
    return masked;
  }

  private static long hash(CharSequence text, int from, int to) {
    long h = 0;
    for (int i = from; i < to; i++) {
      h = h * BASE + text.charAt(i);
    }
    return h;
  }

  /** The values of one length, by the hash of their text. */
  private static final class Window {
    private final int length;
    /** BASE to the power {@code length - 1}: what the char leaving the window weighs. */
    private final long leaving;
    private final Map<Long, int[]> byHash = new HashMap<>();

    Window(int length) {
      this.length = length;
      long power = 1;
      for (int i = 1; i < length; i++) {
        power *= BASE;
      }
      this.leaving = power;
    }

    void add(long hash, int index) {
      byHash.merge(hash, new int[] {index}, (a, b) -> {
        int[] both = java.util.Arrays.copyOf(a, a.length + 1);
        both[a.length] = b[0];
        return both;
      });
    }

    /** Adds to {@code found} the values of this length that {@code text} holds (a value may be added more than once). */
    void find(String text, String[] values, Found found) {
      int n = text.length();
      if (n < length) {
        return;
      }
      long h = hash(text, 0, length);
      for (int i = 0; ; i++) {
        int[] candidates = byHash.get(h);
        if (candidates != null) {
          for (int c : candidates) {
            if (text.startsWith(values[c], i)) {
              found.add(c);
            }
          }
        }
        if (i + length >= n) {
          return;
        }
        h = (h - text.charAt(i) * leaving) * BASE + text.charAt(i + length);
      }
    }
  }

  /** Indices of values found in one text. */
  private static final class Found {
    int[] indices;
    int count;

    Found(int[] always) {
      this.indices = java.util.Arrays.copyOf(always, Math.max(4, always.length));
      this.count = always.length;
    }

    void add(int index) {
      if (count == indices.length) {
        indices = java.util.Arrays.copyOf(indices, count * 2);
      }
      indices[count++] = index;
    }
  }
}
