package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * {@link AccessReport#forValidation} asks the guard only about the S3 candidates that may be, or
 * cover, a whole bucket: asking about every prefix of a role for every user it trusts made
 * {@code registry validate} grow with their product (2,000 users of a role of 2,000 prefixes 5.8 s,
 * 8,000 x 8,000 126 s). What it skips is decided by {@link AccessReport#insideAFolder}, checked here
 * against {@link AccessDiff#covers} over texts of wildcards, slashes and letters; and the validator's
 * issues from that report are those from the full report, for {@link GeneratedRegistries}.
 */
class ValidationAsksLessProperties {
  private static final String ACCOUNT = GeneratedRegistries.ACCOUNT;
  private static final String SHORT = GeneratedRegistries.SHORT;

  /** A resource inside a folder of one bucket is no whole bucket, and no form of it covers one. */
  @Property(tries = 20_000)
  void aResourceInsideAFolderCoversNoWholeBucket(@ForAll("resources") String resource,
      @ForAll("wholeBuckets") String whole) {
    AccessEntry bucket = new AccessEntry("c1", Principal.OTHER, SHORT, List.of(SHORT), AccessCommand.COPY, whole);
    assertThat(AccessReport.wholeBucket(bucket)).as(whole).isTrue();
    boolean inside = AccessReport.insideAFolder(resource);
    boolean covers = AccessDiff.covers(resource, AccessCommand.COPY, whole)
        || AccessDiff.covers(resource, AccessCommand.UNLOAD, whole);
    if (inside) {
      assertThat(covers).as("%s inside a folder covers %s", resource, whole).isFalse();
      AccessEntry entry = new AccessEntry("c1", Principal.OTHER, SHORT, List.of(SHORT), AccessCommand.UNLOAD, resource);
      assertThat(AccessReport.wholeBucket(entry)).as(resource).isFalse();
    }
    Statistics.label("inside").collect(inside);
    Statistics.label("covers").collect(covers);
    Statistics.label("inside").coverage(c -> c.check(true).percentage(p -> p >= 20));
    Statistics.label("covers").coverage(c -> c.check(true).percentage(p -> p >= 5));
  }

  /**
   * What a resource inside a folder covers is inside a folder too: skipping both, no candidate the
   * validation still asks about is covered (or not) by one it skipped, so which are listed whole is
   * unchanged.
   */
  @Property(tries = 20_000)
  void whatAResourceInsideAFolderCoversIsInsideAFolder(@ForAll("resources") String resource,
      @ForAll("resources") String unrelated, @ForAll("suffixes") String suffix, @ForAll boolean longer) {
    String other = longer ? resource + suffix : unrelated;
    boolean covers = AccessDiff.covers(resource, AccessCommand.COPY, other)
        || AccessDiff.covers(resource, AccessCommand.UNLOAD, other);
    if (AccessReport.insideAFolder(resource) && covers) {
      assertThat(AccessReport.insideAFolder(other)).as("%s covers %s", resource, other).isTrue();
    }
    Statistics.label("inside and covers").collect(AccessReport.insideAFolder(resource) && covers);
    Statistics.label("inside and covers").coverage(c -> c.check(true).percentage(p -> p >= 10));
  }

  @Test
  void theLemmaNamesTheFoldersItSkips() {
    assertThat(AccessReport.insideAFolder("s3://acmedata/pub/")).isTrue();
    assertThat(AccessReport.insideAFolder("s3://acmedata/p*")).isTrue();
    assertThat(AccessReport.insideAFolder("s3://acmedata/?/")).isTrue();
    // each of these is, or may cover, a whole bucket
    for (String kept : List.of("s3://acmedata", "s3://acmedata/", "s3://acmedata/*", "s3://acme*/pub/",
        "s3://acme?ata/pub/", "s3://*/pub/", "s3://*", "s3:///pub/", "lambda://f", "")) {
      assertThat(AccessReport.insideAFolder(kept)).as(kept).isFalse();
    }
  }

  /**
   * 6,000 users a role of 6,000 prefixes trusts (and one whole bucket, so there is a warning naming
   * each): each user's every prefix was put to the guard, 36 million questions (8,000 x 8,000 took 126
   * s to validate, 2.7 s now). The timeout is a hang guard against that growth, not a time budget.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.SECONDS,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void manyUsersOfARoleOfManyPrefixesAreValidatedOnceForEachPrefix() throws Exception {
    int n = 6_000;
    StringBuilder users = new StringBuilder();
    StringBuilder prefixes = new StringBuilder("\"s3://whole-bucket/\"");
    for (int i = 0; i < n; i++) {
      users.append(i == 0 ? "" : ", ").append("\"arn:aws:redshift:us-east-1:" + ACCOUNT + ":dbuser:c1/u").append(i)
          .append('"');
      prefixes.append(", \"s3://lake/k").append(i).append("/\"");
    }
    Registry registry = RegistryLoader.parse("version: 1\nclusters:\n  - id: c1\n    account: \"" + ACCOUNT
        + "\"\n    region: us-east-1\n    attached_roles: [" + SHORT + "]\nroles:\n  - arn: " + SHORT
        + "\n    trust:\n      regions: [us-east-1]\n      db_users: [" + users + "]\n    allow:\n      s3_read: ["
        + prefixes + "]\n", "many.yaml", Path.of("."));

    List<RegistryIssue> issues = RegistryValidator.validate(registry, AccessReport.forValidation(registry));

    assertThat(issues).singleElement().satisfies(issue -> {
      assertThat(issue.code()).isEqualTo("WHOLE_BUCKET");
      assertThat(issue.message()).contains("may read every object of bucket whole-bucket (COPY for ")
          .contains("u0, ").contains(", u5999");
    });
  }

  @Property(tries = 300)
  void theValidatorFindsTheSameIssuesAsInTheFullReport(@ForAll("registries") GeneratedRegistries.Parts parts)
      throws Exception {
    Registry registry = RegistryLoader.parse(parts.yaml(), "generated.yaml", Path.of("."));
    List<RegistryIssue> full = RegistryValidator.validate(registry, AccessReport.of(registry));
    List<RegistryIssue> validation = RegistryValidator.validate(registry, AccessReport.forValidation(registry));
    assertThat(validation).isEqualTo(full);
    boolean wholeBucket = full.stream().anyMatch(i -> i.code().equals("WHOLE_BUCKET"));
    Statistics.label("WHOLE_BUCKET").collect(wholeBucket);
    Statistics.label("WHOLE_BUCKET").coverage(c -> c.check(true).percentage(p -> p >= 30));
  }

  @Provide
  Arbitrary<GeneratedRegistries.Parts> registries() {
    return GeneratedRegistries.parts();
  }

  @Provide
  Arbitrary<String> resources() {
    Arbitrary<String> text = Arbitraries.of("a", "b", "/", "*", "?").list().ofMaxSize(6).map(l -> String.join("", l));
    return Arbitraries.oneOf(text.map(t -> "s3://" + t), text.map(t -> "s3://a" + t), text.map(t -> "s3://a/" + t),
        text.map(t -> "s3://ab/" + t));
  }

  @Provide
  Arbitrary<String> suffixes() {
    return Arbitraries.of("a", "b", "/", "*", "?").list().ofMaxSize(4).map(l -> String.join("", l));
  }

  @Provide
  Arbitrary<String> wholeBuckets() {
    Arbitrary<String> bucket = Arbitraries.of("a", "b", "*", "?").list().ofMinSize(1).ofMaxSize(3)
        .map(l -> String.join("", l));
    Arbitrary<String> anything = Arbitraries.of("a", "b", "/", "*", "?").list().ofMaxSize(4)
        .map(l -> String.join("", l));
    return Arbitraries.oneOf(bucket.map(b -> "s3://" + b + "/"), anything.map(t -> "s3://*" + t));
  }
}
