package dev.iamguard.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Secret values to mask wherever a text quotes them, prepared once for many texts: the messages of
 * a chained error or warning, one per failed batch entry or server notice. Masking each message with
 * every value of the batch, one search per value, took the square of the batch: 16,000 entries each
 * holding a key pair took 17 s to mask. Here a text is read once for each distinct value length
 * (a rolling hash of its windows, looked up among the values of that length), and the spans to mask
 * are picked from the occurrences found and the text rebuilt once: replacing each value found over
 * the whole text took the values found times its length (16,000 distinct secrets quoted in 640 KB:
 * 5.7 s).
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
    Occurrences found = find(text);
    if (found.count == 0 && always.length == 0) {
      return text;
    }
    int[] order = found.valuesWith(always); // the values to replace, longest first, each once
    String masked = text;
    boolean positionsHold = true; // whether found's positions are those of masked
    for (int i = 0; i < order.length; ) {
      int value = order[i];
      if (longestFirst[value].indexOf('*') >= 0) {
        String next = replaceHoldingMask(masked, value);
        positionsHold &= next.equals(masked);
        masked = next;
        i++;
        continue;
      }
      int end = i;
      while (end < order.length && longestFirst[order[end]].indexOf('*') < 0) {
        end++;
      }
      if (!positionsHold) {
        found = find(masked); // a value holding '*' changed the text: its windows moved
        positionsHold = true;
      }
      String next = maskRun(masked, found, order, i, end);
      positionsHold = next.equals(masked);
      masked = next;
      i = end;
    }
    return masked;
  }

  /** Every occurrence of every value in {@code text}, found by one rolling-hash pass per value length. */
  private Occurrences find(String text) {
    Occurrences found = new Occurrences();
    for (Window window : windows) {
      window.find(text, longestFirst, found);
    }
    found.sortByValueThenPosition();
    return found;
  }

  /** A value holding {@code *}, replaced as often as it repeats, or until a replacement changes nothing. */
  private String replaceHoldingMask(String text, int value) {
    String masked = text;
    for (int r = 0; r < repeats[value]; r++) {
      String next = masked.replace(longestFirst[value], Redactor.MASK);
      if (next.equals(masked)) {
        break; // replaced again, it would change nothing again
      }
      masked = next;
    }
    return masked;
  }

  /**
   * The values {@code order[from..to)}, none holding {@code *}, replaced in one pass. Replaced one after
   * the other, a value matches only text the longer ones left as it was (it holds no {@code *}, the
   * mask's only char): its leftmost occurrences that overlap neither an earlier value's mask nor each
   * other. So the spans to mask are picked from the occurrences, and the text is rebuilt once.
   */
  private String maskRun(String text, Occurrences found, int[] order, int from, int to) {
    TreeMap<Integer, Integer> spans = new TreeMap<>(); // start -> end of each span masked so far
    int k = 0;
    for (int o = from; o < to; o++) {
      int value = order[o];
      int length = longestFirst[value].length();
      k = found.firstOf(value, k);
      for (; k < found.count && found.value(k) == value; k++) {
        int start = found.position(k);
        Map.Entry<Integer, Integer> before = spans.floorEntry(start + length - 1);
        if (before != null && before.getValue() > start) {
          continue; // within or across a mask: a longer value's, or this value's own (replace does not overlap itself)
        }
        spans.put(start, start + length);
      }
    }
    if (spans.isEmpty()) {
      return text;
    }
    StringBuilder masked = new StringBuilder(text.length());
    int copied = 0;
    for (Map.Entry<Integer, Integer> span : spans.entrySet()) {
      masked.append(text, copied, span.getKey()).append(Redactor.MASK);
      copied = span.getValue();
    }
    return masked.append(text, copied, text.length()).toString();
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
        int[] both = Arrays.copyOf(a, a.length + 1);
        both[a.length] = b[0];
        return both;
      });
    }

    /** Adds to {@code found} every occurrence in {@code text} of the values of this length. */
    void find(String text, String[] values, Occurrences found) {
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
              found.add(c, i);
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

  /** Occurrences of values in one text, each a value's index and a position packed in a {@code long}. */
  private static final class Occurrences {
    long[] packed = new long[4];
    int count;

    void add(int value, int position) {
      if (count == packed.length) {
        packed = Arrays.copyOf(packed, count * 2);
      }
      packed[count++] = (long) value << 32 | position;
    }

    void sortByValueThenPosition() {
      Arrays.sort(packed, 0, count);
    }

    int value(int k) {
      return (int) (packed[k] >>> 32);
    }

    int position(int k) {
      return (int) packed[k];
    }

    /** The first occurrence of {@code value} at or after {@code k} (sorted: the values come in order). */
    int firstOf(int value, int k) {
      while (k < count && value(k) < value) {
        k++;
      }
      return k;
    }

    /** The values found, with {@code always}, each once, in ascending index order (longest first). */
    int[] valuesWith(int[] always) {
      int[] values = Arrays.copyOf(always, always.length + count);
      int n = always.length;
      for (int k = 0; k < count; k++) {
        if (k == 0 || value(k) != value(k - 1)) {
          values[n++] = value(k);
        }
      }
      Arrays.sort(values, 0, n);
      int distinct = 0;
      for (int k = 0; k < n; k++) {
        if (distinct == 0 || values[distinct - 1] != values[k]) {
          values[distinct++] = values[k];
        }
      }
      return Arrays.copyOf(values, distinct);
    }
  }
}
