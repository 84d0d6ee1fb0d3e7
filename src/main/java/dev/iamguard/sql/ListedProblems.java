package dev.iamguard.sql;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The problems a command keeps: each distinct problem (kind and reason) at no more than {@value
 * #PLACES} places, and one more problem of the same kind that counts the places left out. A
 * statement of a megabyte of psql variables ({@code :a:a:a...}) or meta-commands holds half a
 * million of the same problem; each became a finding of a few hundred characters, so reporting that
 * one statement took more than 256 MB and an output three hundred times its size. Every distinct
 * problem is still kept, so what denies a statement still denies it.
 */
final class ListedProblems {
  /** The places listed of one problem; more say nothing new. */
  static final int PLACES = 100;

  private ListedProblems() {}

  /**
   * {@code problems} as an immutable list, with the places past {@link #PLACES} of each distinct
   * problem left out and counted. Idempotent: a list it returned comes back the same.
   */
  static List<Problem> of(List<Problem> problems) {
    if (problems.size() <= PLACES) {
      return List.copyOf(problems);
    }
    Map<Problem, int[]> counts = new HashMap<>(); // by the problem at offset 0: {places, first left out}
    for (Problem problem : problems) {
      int[] count = counts.computeIfAbsent(new Problem(problem.kind(), 0, problem.reason()), key -> new int[] {0, -1});
      if (++count[0] == PLACES + 1) {
        count[1] = problem.offset();
      }
    }
    List<Problem> listed = new ArrayList<>(PLACES);
    Map<Problem, int[]> placed = new HashMap<>();
    for (Problem problem : problems) {
      Problem key = new Problem(problem.kind(), 0, problem.reason());
      int[] place = placed.computeIfAbsent(key, k -> new int[1]);
      if (++place[0] > PLACES) {
        continue;
      }
      listed.add(problem);
      int[] count = counts.get(key);
      if (place[0] == PLACES && count[0] > PLACES) { // the count stands after the last place listed
        listed.add(new Problem(problem.kind(), count[1], "the same " + (count[0] - PLACES)
            + " more times in this statement, not listed: " + problem.reason()));
      }
    }
    return List.copyOf(listed);
  }
}
