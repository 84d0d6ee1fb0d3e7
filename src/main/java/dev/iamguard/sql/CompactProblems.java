package dev.iamguard.sql;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The psql problems of one statement, each kept as its offset and the index of its kind and reason
 * (each reason held once): a megabyte of psql forms ({@code \\ \\ ...} or {@code :a :a ...}) is one
 * problem at up to 700,000 places. With a reason built per place they took a hundred megabytes more
 * than the statement itself; as {@link Problem}s sharing one reason, 22 MB of the 60 MB that
 * checking it needed. A place costs 8 bytes here; its {@code Problem} is made when asked for, and
 * {@link ListedProblems} keeps a hundred places of each.
 */
final class CompactProblems extends AbstractList<Problem> implements RandomAccess {
  private static final int[] NONE = {};
  // most statements have no problem: nothing is allocated until one is added
  private final List<Problem> distinct = new ArrayList<>(0); // each kind and reason once, at offset 0
  private final Map<Problem, Integer> indexOf = new HashMap<>();
  private int[] offsets = NONE;
  private int[] reasons = NONE;
  private int size;

  @Override
  public boolean add(Problem problem) {
    Integer reason = indexOf.computeIfAbsent(new Problem(problem.kind(), 0, problem.reason()), key -> {
      distinct.add(key);
      return distinct.size() - 1;
    });
    if (size == offsets.length) {
      int capacity = Math.max(4, size + (size >> 1));
      offsets = Arrays.copyOf(offsets, capacity);
      reasons = Arrays.copyOf(reasons, capacity);
    }
    offsets[size] = problem.offset();
    reasons[size++] = reason;
    modCount++;
    return true;
  }

  @Override
  public Problem get(int index) {
    Objects.checkIndex(index, size);
    Problem reason = distinct.get(reasons[index]);
    return new Problem(reason.kind(), offsets[index], reason.reason());
  }

  @Override
  public int size() {
    return size;
  }

  /** {@code first} then {@code second}, as one list that copies neither (both must stay as they are). */
  static List<Problem> joined(List<Problem> first, List<Problem> second) {
    if (second.isEmpty()) {
      return first;
    }
    if (first.isEmpty()) {
      return second;
    }
    return new Joined(first, second);
  }

  private static final class Joined extends AbstractList<Problem> implements RandomAccess {
    private final List<Problem> first;
    private final List<Problem> second;

    Joined(List<Problem> first, List<Problem> second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public Problem get(int index) {
      return index < first.size() ? first.get(index) : second.get(index - first.size());
    }

    @Override
    public int size() {
      return first.size() + second.size();
    }
  }
}
