package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * {@code registry diff} asks whether an entry of one access table is covered by an entry of the
 * other with the same subject. Resources without a wildcard are looked up among the few that can
 * cover an entry's, not compared one by one (quadratic: a minute for a role of 20,000 prefixes);
 * whatever the resources, the answer is the one comparing with each gives.
 */
class AccessDiffCoveringProperties {
  @Property(tries = 3000)
  void theLookupAnswersAsComparingWithEveryResource(@ForAll("resourceLists") List<String> resources,
      @ForAll("resources") String resource, @ForAll("commands") AccessCommand command) {
    AccessEntry entry = new AccessEntry("c1", Principal.OTHER, "r", List.of("r"), command, resource);
    AccessDiff.Covering covering = new AccessDiff.Covering();
    resources.forEach(covering::add);

    boolean expected = resources.stream().anyMatch(r -> AccessDiff.covers(r, entry));

    assertThat(covering.covers(entry)).as(resources + " cover " + command + " " + resource).isEqualTo(expected);
    Statistics.label("covered").collect(expected);
    Statistics.label("covered").coverage(c -> c.check(true).percentage(p -> p > 15));
  }

  /**
   * 20,000 prefixes of one role against 20,000 others (the probe's {@code registry diff}: 64 s).
   * The timeout is a hang guard; it takes well under a second.
   */
  @org.junit.jupiter.api.Test
  @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void manyPrefixesOfOneRoleAreComparedInLinearTime() {
    AccessDiff.Covering covering = new AccessDiff.Covering();
    for (int i = 0; i < 20_000; i++) {
      covering.add("s3://bkt0/p" + i + "/");
    }
    int covered = 0;
    for (int i = 0; i < 20_000; i++) {
      AccessEntry entry = new AccessEntry("c1", Principal.OTHER, "r", List.of("r"), AccessCommand.COPY,
          "s3://bkt0/" + (i % 2 == 0 ? "p" : "q") + i + "/sub/");
      covered += covering.covers(entry) ? 1 : 0;
    }
    assertThat(covered).isEqualTo(10_000);
  }

  @Provide
  Arbitrary<AccessCommand> commands() {
    return Arbitraries.of(AccessCommand.COPY, AccessCommand.UNLOAD, AccessCommand.EXTERNAL_FUNCTION,
        AccessCommand.EXTERNAL_SCHEMA);
  }

  @Provide
  Arbitrary<String> resources() {
    Arbitrary<String> segment = Arbitraries.of("a", "ab", "b", "a*", "?", "*", "");
    return Arbitraries.of("s3://bkt", "s3://bkt2", "fn", "s3:/").flatMap(start -> segment.list().ofMaxSize(3)
        .flatMap(parts -> Arbitraries.of("", "/", "*").map(end -> parts.isEmpty() ? start + end
            : start + "/" + String.join("/", parts) + end)));
  }

  @Provide
  Arbitrary<List<String>> resourceLists() {
    return resources().list().ofMaxSize(12).map(ArrayList::new);
  }
}
