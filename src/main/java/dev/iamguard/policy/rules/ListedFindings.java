package dev.iamguard.policy.rules;

import dev.iamguard.policy.Finding;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The findings a decision keeps: each distinct finding (rule, severity, message, subject, remedy) at
 * no more than {@value #PLACES} places, and one more finding of the same rule and severity that
 * counts the places left out, after the last one listed. A COPY of a hundred thousand {@code AVRO
 * 's3://a/b'} options found the same location outside the role's prefixes a hundred thousand times,
 * each a finding of a few hundred characters in every report. Every distinct finding is kept, so
 * the verdict is the same.
 */
final class ListedFindings {
  /** The places listed of one finding; more say nothing new. */
  static final int PLACES = 100;

  private ListedFindings() {}

  /** {@code findings} with the places past {@link #PLACES} of each distinct one left out and counted. */
  static List<Finding> of(List<Finding> findings, Inspection in) {
    if (findings.size() <= PLACES) {
      return findings;
    }
    Map<Finding, int[]> counts = new HashMap<>(); // by the finding at offset 0: {places, first left out}
    for (Finding finding : findings) {
      int[] count = counts.computeIfAbsent(key(finding), key -> new int[] {0, -1});
      if (++count[0] == PLACES + 1) {
        count[1] = finding.offset();
      }
    }
    List<Finding> listed = new ArrayList<>(PLACES + 1);
    Map<Finding, int[]> placed = new HashMap<>();
    for (Finding finding : findings) {
      Finding key = key(finding);
      int place = ++placed.computeIfAbsent(key, k -> new int[1])[0];
      if (place > PLACES) {
        continue;
      }
      listed.add(finding);
      int[] count = counts.get(key);
      if (place == PLACES && count[0] > PLACES) {
        listed.add(counted(finding, count[0] - PLACES, count[1], in));
      }
    }
    return listed;
  }

  private static Finding key(Finding finding) {
    return new Finding(finding.rule(), finding.message(), finding.subject(), finding.remedy(), 0, finding.severity(),
        finding.role());
  }

  /** {@code finding}'s message, after the statement it names, told of {@code more} places from {@code offset}. */
  private static Finding counted(Finding finding, int more, int offset, Inspection in) {
    String head = "iamguard: " + finding.rule() + " in " + in.where() + ": ";
    String message = finding.message();
    String what = message.startsWith(head) ? message.substring(head.length()) : message;
    return new Finding(finding.rule(), head + "the same " + more + " more times in this statement, not listed: "
        + what, finding.subject(), finding.remedy(), offset, finding.severity(), finding.role());
  }
}
