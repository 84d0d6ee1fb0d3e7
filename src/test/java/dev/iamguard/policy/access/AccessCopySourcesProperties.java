package dev.iamguard.policy.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.DocumentRoleRegistry;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.Verdict;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The DynamoDB tables and EMR clusters a COPY may read are in the access table, so {@code registry
 * diff} sees them come. Before, the table listed S3, Lambda and Glue only: a role given
 * {@code dynamodb_tables: ["*"]}, or an IAM Allow of {@code dynamodb:Scan} on {@code table/*},
 * diffed as "0 gained" and the drift gate passed.
 * <ul>
 *   <li>Short form: the tables and cluster ids a role's lists match (hand-checked here with a glob of
 *       this class's own) are each covered by an entry, and no entry covers one they do not match.</li>
 *   <li>IAM documents (Allow and Deny, Resource and NotResource, wildcards, other regions and
 *       accounts): every source the guard lets COPY read is covered by an entry, and an entry
 *       listed whole covers none it refuses.</li>
 *   <li>Diff: widening a role's lists to a source they did not match is a gain.</li>
 * </ul>
 * The test names no new access command, so that it runs against the code before the fix.
 */
class AccessCopySourcesProperties {
  private static final String ROLE = "arn:aws:iam::123456789012:role/R1";
  private static final String[] TABLES = {"orders", "orders2", "secret", "Other"};
  private static final String[] EMR = {"j-ORDERS", "j-ORDERS2", "j-SECRET", "j-OTHER"};

  @Property(tries = 60)
  void shortFormListsAreListed(@ForAll("tablePatterns") List<String> tables, @ForAll("emrPatterns") List<String> emr)
      throws Exception {
    Registry registry = RegistryLoader.parse(shortForm(tables, emr), "r.yaml", Path.of("."));
    List<AccessEntry> entries = entries(registry);
    int listed = 0;
    for (String table : TABLES) {
      boolean matched = tables.stream().anyMatch(p -> glob(p, table));
      listed += matched ? 1 : 0;
      assertThat(covering(entries, "dynamodb://" + table).isEmpty()).as("table %s, patterns %s, entries %s",
          table, tables, entries).isEqualTo(!matched);
    }
    for (String id : EMR) {
      boolean matched = emr.stream().anyMatch(p -> glob(p, id));
      assertThat(covering(entries, "emr://" + id).isEmpty()).as("cluster %s, patterns %s, entries %s",
          id, emr, entries).isEqualTo(!matched);
    }
    Statistics.label("some table listed").collect(listed > 0);
  }

  @Property(tries = 150)
  void documentsAgreeWithTheGuard(@ForAll("statements") List<String> statements) throws Exception {
    Path dir = Files.createTempDirectory("iamguard-access-sources");
    try {
      Registry registry = DocumentRoleRegistry.of(ROLE, String.join(", ", statements), dir);
      List<AccessEntry> entries = entries(registry);
      Guard guard = new Guard(registry);
      Session session = Principal.OTHER.session("c1");
      int allowed = 0;
      List<String> sources = new ArrayList<>();
      for (String table : TABLES) {
        sources.add("dynamodb://" + table);
      }
      for (String id : EMR) {
        sources.add("emr://" + id);
      }
      for (String source : sources) {
        String sql = "copy t from '" + source + (source.startsWith("emr") ? "/part-*" : "") + "' iam_role '" + ROLE
            + "'" + (source.startsWith("dynamodb") ? " readratio 50" : "");
        boolean allows = guard.inspect(sql, session).verdict() != Verdict.DENY;
        List<AccessEntry> covering = covering(entries, source);
        if (allows) {
          allowed++;
          assertThat(covering).as("%s is allowed; statements %s, entries %s", source, statements, entries).isNotEmpty();
        } else {
          assertThat(covering).as("%s is refused; statements %s", source, statements).allMatch(AccessEntry::partial);
        }
      }
      Statistics.label("some source allowed").collect(allowed > 0);
      Statistics.label("some source allowed").coverage(c -> c.check(true).percentage(p -> p >= 20));
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Property(tries = 60)
  void wideningIsAGain(@ForAll("tablePatterns") List<String> oldTables, @ForAll("tablePatterns") List<String> newTables,
      @ForAll("emrPatterns") List<String> oldEmr, @ForAll("emrPatterns") List<String> newEmr) throws Exception {
    Registry before = RegistryLoader.parse(shortForm(oldTables, oldEmr), "old.yaml", Path.of("."));
    Registry after = RegistryLoader.parse(shortForm(newTables, newEmr), "new.yaml", Path.of("."));
    boolean widens = false;
    for (String table : TABLES) {
      widens |= newTables.stream().anyMatch(p -> glob(p, table)) && oldTables.stream().noneMatch(p -> glob(p, table));
    }
    for (String id : EMR) {
      widens |= newEmr.stream().anyMatch(p -> glob(p, id)) && oldEmr.stream().noneMatch(p -> glob(p, id));
    }
    AccessDiff diff = AccessDiff.between(before, after);
    if (widens) {
      assertThat(diff.gained()).as("%s -> %s, %s -> %s", oldTables, newTables, oldEmr, newEmr).isNotEmpty();
    }
    Statistics.label("widens").collect(widens);
    Statistics.label("widens").coverage(c -> c.check(true).percentage(p -> p >= 20));
  }

  @Provide
  Arbitrary<List<String>> tablePatterns() {
    return Arbitraries.of("orders", "orders*", "ord?rs", "*", "secret", "O*", "*2", "orders2").list().ofMinSize(1)
        .ofMaxSize(3).uniqueElements();
  }

  @Provide
  Arbitrary<List<String>> emrPatterns() {
    return Arbitraries.of("j-ORDERS", "j-ORDERS*", "j-ORD?RS", "*", "j-*", "j-SECRET", "*2").list().ofMinSize(1)
        .ofMaxSize(3).uniqueElements();
  }

  @Provide
  Arbitrary<List<String>> statements() {
    Arbitrary<String> effect = Arbitraries.of("Allow", "Allow", "Allow", "Deny");
    Arbitrary<String> action = Arbitraries.of("[\"dynamodb:Scan\", \"dynamodb:DescribeTable\"]", "\"dynamodb:*\"",
        "\"*\"", "\"dynamodb:Scan\"", "\"elasticmapreduce:ListInstances\"", "\"elasticmapreduce:*\"",
        "[\"dynamodb:Scan\", \"dynamodb:DescribeTable\", \"elasticmapreduce:ListInstances\"]");
    Arbitrary<String> resource = Arbitraries.of("*", "arn:aws:dynamodb:us-west-2:123456789012:table/orders",
        "arn:aws:dynamodb:us-west-2:123456789012:table/ord*", "arn:aws:dynamodb:*:*:table/*",
        "arn:aws:dynamodb:us-west-2:123456789012:table/secret", "arn:aws:dynamodb:eu-west-1:123456789012:table/orders",
        "arn:aws:dynamodb:us-west-2:210987654321:table/*", "arn:aws:dynamodb:us-west-2:123456789012:table/orders/index/*",
        "arn:aws:elasticmapreduce:us-west-2:123456789012:cluster/j-ORDERS",
        "arn:aws:elasticmapreduce:us-west-2:123456789012:cluster/*", "arn:aws:elasticmapreduce:*:*:cluster/j-SECRET");
    Arbitrary<String> statement = Combinators.combine(effect, action, Arbitraries.of(false, false, false, true),
        resource.list().ofMinSize(1).ofMaxSize(2))
        .as((e, a, not, resources) -> "{Effect: " + e + ", Action: " + a + ", " + (not ? "NotResource" : "Resource")
            + ": [" + String.join(", ", resources.stream().map(r -> "\"" + r + "\"").toList()) + "]}");
    // an Allow first, so that most roles reach something a later statement may carve
    Arbitrary<String> first = Arbitraries.of("\"*\"", "\"arn:aws:dynamodb:us-west-2:123456789012:table/*\"",
        "[\"arn:aws:dynamodb:*:*:table/ord*\", \"arn:aws:elasticmapreduce:*:*:cluster/*\"]")
        .map(r -> "{Effect: Allow, Action: [\"dynamodb:Scan\", \"dynamodb:DescribeTable\","
            + " \"elasticmapreduce:ListInstances\"], Resource: " + r + "}");
    return Combinators.combine(first, statement.list().ofMaxSize(3)).as((f, more) -> {
      List<String> all = new ArrayList<>(List.of(f));
      all.addAll(more);
      return all;
    });
  }

  private static String shortForm(List<String> tables, List<String> emr) {
    return """
        version: 1
        clusters:
          - { id: c1, account: "123456789012", region: us-west-2, attached_roles: [%1$s] }
        roles:
          - arn: %1$s
            allow:
              dynamodb_tables: [%2$s]
              emr_clusters: [%3$s]
        """.formatted(ROLE, quoted(tables), quoted(emr));
  }

  private static String quoted(List<String> items) {
    return String.join(", ", items.stream().map(i -> "\"" + i + "\"").toList());
  }

  /** The entries of any other user with the role that cover {@code source}, whatever command lists them. */
  private static List<AccessEntry> covering(List<AccessEntry> entries, String source) {
    return entries.stream().filter(e -> e.resource().startsWith(source.substring(0, source.indexOf("://") + 3))
        && AccessDiff.covers(e.resource(), e.command(), source)).toList();
  }

  private static List<AccessEntry> entries(Registry registry) {
    return AccessReport.of(registry).entries().stream()
        .filter(e -> e.principal().equals(Principal.OTHER) && e.auth().equals(ROLE)).toList();
  }

  /** IAM's {@code *} and {@code ?} as a regular expression: the test's own matcher, not the guard's. */
  private static boolean glob(String pattern, String text) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
    }
    return text.matches(regex.toString());
  }
}
