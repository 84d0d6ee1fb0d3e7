package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.DocumentRoleRegistry;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The access table against the guard itself, for roles described by IAM documents of the shapes
 * accounts use: Allow and Deny, Resource and NotResource, wildcard buckets and keys, bucket ARNs,
 * {@code s3:prefix} conditions confining ListBucket (StringLike, StringNotLike), and permissions
 * boundaries. Every COPY and UNLOAD of a fixed set of folders is put to the guard, and
 * <ul>
 *   <li>an entry listed whole covers only folders the guard allows (a Deny carving a wildcard Allow
 *       was listed whole: probe 21a F4), and</li>
 *   <li>every folder the guard allows is covered by an entry, whole or in part (an Allow of
 *       {@code *} confined by a Deny's NotResource, by a boundary or a prefix condition listed
 *       nothing: probe 21a F6), which is what lets {@code registry diff} see such access come.</li>
 * </ul>
 * Prefix conditions are generated with a final {@code *}: with an exact prefix, IAM allows a folder
 * and refuses the folders under it, which no prefix entry can state.
 */
class AccessAgreesWithGuardProperties {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R1";
  private static final String[] BUCKETS = {"acmedata", "acmelogs", "other"};
  private static final String[] KEYS = {"pub/", "secret/", "data/"};

  /**
   * CI's seed 7194271525310847631, shrunk: two Allows of {@code s3:*} whose NotResources take
   * {@code acmelogs/pub/*} and {@code acmelogs/secret/*} each allow every key between them, while the
   * guard asks one statement for a whole folder and refuses {@code s3://acmelogs/}; the table listed
   * {@code s3://*} whole. Now in part, carved.
   */
  @Example
  void foldersAboveADecisionPointAreAsked() throws Exception {
    theTableListsWhatTheGuardAllowsAndNoMore(List.of(
        "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:PutObject\", \"s3:ListBucket\"], Resource: "
            + "[\"arn:aws:s3:::acmedata\", \"arn:aws:s3:::acmedata/*\"]}",
        "{Effect: Allow, Action: \"s3:*\", NotResource: [\"arn:aws:s3:::acmelogs/pub/*\"]}",
        "{Effect: Allow, Action: \"s3:*\", NotResource: [\"arn:aws:s3:::acmelogs/secret/*\"]}"), List.of());
  }

  @Property(tries = 250)
  void theTableListsWhatTheGuardAllowsAndNoMore(@ForAll("statements") List<String> permissions,
      @ForAll("boundaries") List<String> boundary) throws Exception {
    Path dir = Files.createTempDirectory("iamguard-access");
    try {
      Registry registry = registry(permissions, boundary, dir);
      AccessReport report = AccessReport.of(registry);
      Guard guard = new Guard(registry);
      Session session = Principal.OTHER.session("c1");
      List<AccessEntry> entries = report.entries().stream()
          .filter(e -> e.principal().equals(Principal.OTHER) && e.auth().equals(ROLE)).toList();
      int allowed = 0;
      for (AccessCommand command : List.of(AccessCommand.COPY, AccessCommand.UNLOAD)) {
        for (String location : folders()) {
          Candidates.Candidate asked = new Candidates.Candidate(location, location, null, null);
          boolean allows = guard.inspect(Probe.sql(command, ROLE, asked), session).verdict() != Verdict.DENY;
          AccessEntry as = new AccessEntry("c1", Principal.OTHER, ROLE, List.of(ROLE), command, location);
          List<AccessEntry> covering = entries.stream()
              .filter(e -> e.command() == command && AccessDiff.covers(e.resource(), as)).toList();
          if (allows) {
            allowed++;
            assertThat(covering).as("%s %s is allowed; entries %s", command, location, entries).isNotEmpty();
          } else {
            assertThat(covering).as("%s %s is refused", command, location).allMatch(AccessEntry::partial);
          }
        }
      }
      Statistics.label("some folder allowed").collect(allowed > 0);
      Statistics.label("some entry in part").collect(entries.stream().anyMatch(AccessEntry::partial));
      Statistics.label("some folder allowed").coverage(c -> c.check(true).percentage(p -> p >= 30));
      // about 10.5% of the tries (19 CI runs: 7.2 to 14%); 2 is four standard deviations below at 250
      Statistics.label("some entry in part").coverage(c -> c.check(true).percentage(p -> p >= 2));
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Each bucket, and in each its folders and a folder under each. */
  private static List<String> folders() {
    List<String> folders = new ArrayList<>();
    for (String bucket : BUCKETS) {
      folders.add("s3://" + bucket + "/");
      for (String key : KEYS) {
        folders.add("s3://" + bucket + "/" + key);
        folders.add("s3://" + bucket + "/" + key + "x/");
      }
    }
    return folders;
  }

  @Provide
  Arbitrary<List<String>> statements() {
    Arbitrary<String> effect = Arbitraries.of("Allow", "Allow", "Allow", "Deny", "Deny");
    // an Allow that reads and writes somewhere first, so that most roles reach something to carve
    Arbitrary<String> grant = Arbitraries.of("\"*\"", "[\"arn:aws:s3:::acmedata\", \"arn:aws:s3:::acmedata/*\"]",
        "[\"arn:aws:s3:::acme*\", \"arn:aws:s3:::acme*/*\"]", "[\"arn:aws:s3:::*\"]")
        .map(resources -> "{Effect: Allow, Action: [\"s3:GetObject\", \"s3:PutObject\", \"s3:ListBucket\"], Resource: "
            + resources + "}");
    return Combinators.combine(grant, statement(effect).list().ofMaxSize(3)).as((first, more) -> {
      List<String> all = new ArrayList<>(List.of(first));
      all.addAll(more);
      return all;
    });
  }

  @Provide
  Arbitrary<List<String>> boundaries() {
    return Arbitraries.oneOf(Arbitraries.just(List.of()), Arbitraries.just(List.of()),
        statement(Arbitraries.just("Allow")).list().ofMinSize(1).ofMaxSize(2));
  }

  private static Arbitrary<String> statement(Arbitrary<String> effect) {
    Arbitrary<String> bucket = Arbitraries.of(BUCKETS);
    Arbitrary<String> key = Arbitraries.of(KEYS);
    Arbitrary<String> resource = Combinators.combine(Arbitraries.integers().between(0, 9), bucket, key)
        .as((form, b, k) -> switch (form) {
          case 0 -> "*";
          case 1 -> "arn:aws:s3:::*";
          case 2 -> "arn:aws:s3:::acme*/*";
          case 3 -> "arn:aws:s3:::acme*";
          case 4, 5 -> "arn:aws:s3:::" + b;
          case 6 -> "arn:aws:s3:::" + b + "/*";
          case 7 -> "arn:aws:s3:::" + b + "/" + k + "*";
          case 8 -> "arn:aws:s3:::*/" + k + "*";
          default -> "arn:aws:s3:::" + b + "/" + k.substring(0, 2) + "*";
        });
    Arbitrary<String> action = Arbitraries.of("\"s3:*\"", "\"s3:GetObject\"", "\"s3:PutObject\"", "\"s3:ListBucket\"",
        "[\"s3:GetObject\", \"s3:ListBucket\"]", "[\"s3:PutObject\", \"s3:ListBucket\"]", "\"s3:Get*\"");
    Arbitrary<String> condition = Combinators.combine(Arbitraries.of("", "", "", "StringLike", "StringNotLike"), key)
        .as((operator, k) -> operator.isEmpty() ? "" : ", Condition: {" + operator + ": {\"s3:prefix\": [\"" + k
            + "*\"]}}");
    return Combinators.combine(effect, action, Arbitraries.of(false, false, false, true),
        resource.list().ofMinSize(1).ofMaxSize(2), condition)
        .as((e, a, not, resources, c) -> "{Effect: " + e + ", Action: " + a + ", " + (not ? "NotResource" : "Resource")
            + ": [" + String.join(", ", resources.stream().map(r -> "\"" + r + "\"").toList()) + "]" + c + "}");
  }

  private static Registry registry(List<String> permissions, List<String> boundary, Path dir) throws Exception {
    return DocumentRoleRegistry.of(ROLE, String.join(", ", permissions), String.join(", ", boundary), dir);
  }
}
