package dev.iamguard.policy;

import static dev.iamguard.policy.Fixture.LOADER;
import static dev.iamguard.policy.Fixture.inspect;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A finding the rules repeat in one statement (the same location outside the role's prefixes, named
 * by each of many format options) is listed the first 100 times, and one more finding counts the
 * rest, right after them: 30,000 {@code AVRO 's3://a/b'} options were 30,000 findings of a few
 * hundred characters in every report. Each distinct finding stays, so the verdict stays; options in
 * any order, with allowed ones among them.
 */
class ListedFindingsTest {
  private static final String HEAD = "copy t from 's3://data/in/x' iam_role '" + LOADER + "' ";
  private static final String OUTSIDE_A = "json 's3://other/a.json' ";
  private static final String OUTSIDE_B = "avro 's3://other/b.json' ";
  private static final String ALLOWED = "json 's3://data/in/p.json' ";

  @ParameterizedTest
  @CsvSource({"1,0,5", "99,100,0", "100,101,3", "101,99,7", "250,1,0", "5000,300,40", "0,3000,3000"})
  void aRepeatedFindingIsListedAHundredTimesAndCountedAfter(int a, int b, int allowed) {
    List<String> options = new ArrayList<>();
    options.addAll(Collections.nCopies(a, OUTSIDE_A));
    options.addAll(Collections.nCopies(b, OUTSIDE_B));
    options.addAll(Collections.nCopies(allowed, ALLOWED));
    Collections.shuffle(options, new Random(a * 31L + b));

    Decision decision = inspect(Fixture.registry(), HEAD + String.join("", options));

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    List<Finding> findings = decision.findings();
    assertThat(findings).allSatisfy(f -> assertThat(f.rule()).isEqualTo(RuleId.S3_NOT_PERMITTED));
    assertListedAndCounted(findings, "s3://other/a.json", a);
    assertListedAndCounted(findings, "s3://other/b.json", b);
    assertThat(findings).noneSatisfy(f -> assertThat(f.message()).contains("s3://data/in/p.json"));
    assertThat(findings).hasSize(Math.min(a, 100) + (a > 100 ? 1 : 0) + Math.min(b, 100) + (b > 100 ? 1 : 0));
  }

  private static void assertListedAndCounted(List<Finding> findings, String location, int times) {
    List<Finding> named = findings.stream().filter(f -> f.message().contains("may not read " + location)).toList();
    List<Finding> counted = named.stream().filter(f -> f.message().contains(" more times in this statement")).toList();
    List<Finding> listed = named.stream().filter(f -> !counted.contains(f)).toList();
    assertThat(listed).hasSize(Math.min(times, 100));
    if (times == 0) {
      assertThat(named).isEmpty();
      return;
    }
    assertThat(listed).extracting(Finding::message).containsOnly(listed.get(0).message());
    if (times <= 100) {
      assertThat(counted).isEmpty();
      return;
    }
    String message = listed.get(0).message();
    String head = message.substring(0, message.indexOf("): ") + 3); // iamguard: RULE in statement 1 (line 1, COPY):
    assertThat(counted).singleElement().satisfies(f -> {
      assertThat(f.message()).isEqualTo(head + "the same " + (times - 100) + " more times in this statement, not listed: "
          + message.substring(head.length()));
      assertThat(f.severity()).isEqualTo(listed.get(0).severity());
      assertThat(f.subject()).isEqualTo(listed.get(0).subject());
    });
    assertThat(findings.indexOf(counted.get(0))).as("right after the last listed").isEqualTo(findings.lastIndexOf(listed.get(99)) + 1);
  }
}
