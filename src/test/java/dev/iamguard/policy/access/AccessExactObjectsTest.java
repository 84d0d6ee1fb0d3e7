package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryException;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A grant of one object (an IAM Resource naming an exact key; a short-form prefix without a slash,
 * which is the key of that name as well as its folder) reaches that object: a COPY of it as a
 * manifest (a JSONPaths file, a library archive are named the same way). {@code access} lists it as
 * what it is, and {@code registry diff} counts it gained when NEW adds it and lost when NEW drops it;
 * it covers nothing but itself.
 */
class AccessExactObjectsTest {

  private static final String ROLE = "arn:aws:iam::123456789012:role/R";
  private static final String HEAD = "version: 1\nclusters:\n  - id: c\n    account: \"123456789012\"\n"
      + "    region: us-east-1\n    attached_roles: [" + ROLE + "]\nroles:\n  - arn: " + ROLE + "\n";

  private static String documents(List<String> objects) {
    StringBuilder resources = new StringBuilder("\"arn:aws:s3:::bkt/data/*\"");
    objects.forEach(o -> resources.append(", \"arn:aws:s3:::").append(o).append('"'));
    return HEAD + "    policy_files:\n      permissions:\n        - {Version: \"2012-10-17\", Statement: [{Effect: Allow,"
        + " Action: \"s3:GetObject\", Resource: [" + resources + "]}, {Effect: Allow, Action: \"s3:ListBucket\","
        + " Resource: \"arn:aws:s3:::bkt\"}]}\n";
  }

  private static String shortForm(String prefix) {
    return HEAD + "    allow: {s3_read: [\"s3://bkt/data/\", \"" + prefix + "\"]}\n";
  }

  /** OLD, NEW, the exact object NEW gains, and a COPY only NEW allows. */
  static Stream<Arguments> grants() {
    Stream<Arguments> iam = Stream.of("bkt/secret.json", "bkt/manifests/load.manifest", "bkt/jsonpaths.json",
        "bkt/lib/udf.zip", "bkt/data", "bkt/a b/c.json").map(object -> Arguments.of(
            "IAM " + object, documents(List.of()), documents(List.of(object)), "s3://" + object, "s3://" + object));
    Stream<Arguments> iamWildMiddle = Stream.of(Arguments.of("IAM bkt/*/manifest.json", documents(List.of()),
        documents(List.of("bkt/*/manifest.json")), "s3://bkt/*/manifest.json", "s3://bkt/x/manifest.json"));
    Stream<Arguments> shortForm = Stream.of("s3://bkt/data", "s3://bkt/in/load.manifest", "s3://bkt/x")
        .map(prefix -> Arguments.of("short form " + prefix, shortForm("s3://bkt/data/"), shortForm(prefix), prefix,
            prefix));
    return Stream.of(iam, iamWildMiddle, shortForm).flatMap(s -> s);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("grants")
  void anExactObjectIsListedAndDiffed(String name, String old, String now, String object, String copied)
      throws RegistryException {
    Registry before = RegistryLoader.parse(old, "old.yaml", Path.of("."));
    Registry after = RegistryLoader.parse(now, "new.yaml", Path.of("."));
    String copy = "copy t from '" + copied + "' iam_role '" + ROLE + "' manifest";
    assertThat(new Guard(before).inspect(copy, Session.of("u", "c")).verdict()).as("OLD refuses").isEqualTo(Verdict.DENY);
    assertThat(new Guard(after).inspect(copy, Session.of("u", "c")).verdict()).as("NEW allows")
        .isNotEqualTo(Verdict.DENY);

    List<AccessEntry> listed = AccessReport.of(after).entries();
    assertThat(listed).filteredOn(e -> e.exact()).singleElement().satisfies(e -> {
      assertThat(e.resource()).isEqualTo(object);
      assertThat(e.command()).isEqualTo(AccessCommand.COPY);
      assertThat(e.partial()).isFalse();
    });
    assertThat(listed).filteredOn(e -> !e.exact()).extracting(AccessEntry::resource).contains("s3://bkt/data/");

    AccessDiff gained = AccessDiff.between(before, after);
    // (a short-form prefix new in NEW gains its folder too)
    assertThat(gained.gained()).filteredOn(AccessEntry::exact).singleElement().satisfies(e -> {
      assertThat(e.resource()).isEqualTo(object);
      assertThat(e.exact()).isTrue();
    });
    assertThat(gained.lost()).isEmpty();
    AccessDiff lost = AccessDiff.between(after, before);
    assertThat(lost.gained()).isEmpty();
    assertThat(lost.lost()).filteredOn(AccessEntry::exact).singleElement().satisfies(e -> assertThat(e.resource()).isEqualTo(object));
    assertThat(AccessDiff.between(after, after).isEmpty()).isTrue();
  }

  /** One object covers itself only: a folder of its name, or a longer key, is a gain beside it. */
  static Stream<Arguments> widenings() {
    return Stream.of(
        Arguments.of(List.of("bkt/secret.json"), List.of("bkt/secret.json*"), "s3://bkt/secret.json*"),
        Arguments.of(List.of("bkt/in"), List.of("bkt/in/*"), "s3://bkt/in/"),
        Arguments.of(List.of("bkt/in"), List.of("bkt/in", "bkt/in2"), "s3://bkt/in2"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("widenings")
  void anObjectCoversOnlyItself(List<String> was, List<String> is, String gainedResource) throws RegistryException {
    Registry before = RegistryLoader.parse(documents(was), "old.yaml", Path.of("."));
    Registry after = RegistryLoader.parse(documents(is), "new.yaml", Path.of("."));
    assertThat(AccessDiff.between(before, after).gained()).extracting(AccessEntry::resource).contains(gainedResource);
  }
}
