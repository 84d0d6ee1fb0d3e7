package dev.iamguard.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.AwsResourceArns;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.Wildcards;
import dev.iamguard.policy.registry.AllowConfig;
import dev.iamguard.policy.registry.ClusterConfig;
import dev.iamguard.policy.registry.RoleConfig;
import dev.iamguard.policy.registry.TrustConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * A role's long allow lists (more than the lists compared one by one) are looked up, not compared
 * entry by entry; whatever their entries (names, partial and full ARNs, wildcards, other accounts,
 * regions and partitions, case) the answers are those of comparing with each entry as the
 * registry's short form defines it, here written out again independently. So are a cluster's long
 * list of attached roles and a role's long {@code assume} list (role names ignoring case, paths
 * not).
 */
class LongAllowListsProperties {
  private static final String ACCOUNT = "123456789012";
  private static final String REGION = "us-east-1";

  private static RoleConfig role(String arn, AllowConfig allow) {
    return new RoleConfig(RoleArn.of(arn), Optional.empty(), Optional.of(TrustConfig.DEFAULT), Optional.empty(), Optional.of(allow),
        List.of(), 1);
  }

  private static List<String> padded(List<String> entries) {
    // past the lists compared one by one, with entries that never match the texts asked about
    List<String> longer = new ArrayList<>(entries);
    for (int i = 0; longer.size() <= 40; i++) {
      longer.add("unrelated-" + i);
    }
    return longer;
  }

  @Property(tries = 3000)
  void lambdaFunctionsAreLookedUpAsCompared(@ForAll("lambdaEntries") List<String> entries, @ForAll("functions") String arn,
      @ForAll("partitions") String partition, @ForAll("regions") String region) {
    List<String> all = padded(entries);
    RoleConfig role = role("arn:" + partition + ":iam::" + ACCOUNT + ":role/R",
        new AllowConfig(List.of(), List.of(), all, List.of(), List.of()));
    boolean expected = all.stream().anyMatch(e -> Wildcards.matches(e.startsWith("arn:") ? e
        : e.contains(":function:") ? "arn:" + partition + ":lambda:" + region + ":" + e
        : "arn:" + partition + ":lambda:" + region + ":" + ACCOUNT + ":function:" + e, arn));

    assertThat(RoleAccess.mayInvoke(role, arn, region, null)).as(entries + " " + arn).isEqualTo(expected);
    assertThat(expected).isEqualTo(all.stream().anyMatch(e ->
        Wildcards.matches(AwsResourceArns.lambdaPattern(e, partition, region, ACCOUNT), arn)));
    Statistics.label("invokable").collect(expected);
    Statistics.label("invokable").coverage(c -> c.check(true).percentage(p -> p > 15));
  }

  @Property(tries = 3000)
  void glueDatabasesAreLookedUpAsCompared(@ForAll("glueEntries") List<String> entries, @ForAll("databases") String database,
      @ForAll boolean ownCatalog) {
    List<String> all = padded(entries);
    RoleConfig role = role("arn:aws:iam::" + ACCOUNT + ":role/R", new AllowConfig(List.of(), List.of(), List.of(), all, List.of()));
    String catalogAccount = ownCatalog ? ACCOUNT : "999999999999";
    String arn = "arn:aws:glue:" + REGION + ":" + catalogAccount + ":database/" + database;
    boolean expected = all.stream().anyMatch(e -> e.startsWith("arn:") ? Wildcards.matchesIgnoringCase(e, arn)
        : ownCatalog && Wildcards.matchesIgnoringCase(e, database));

    assertThat(RoleAccess.mayUseCatalog(role, arn, database, catalogAccount, ACCOUNT, null)).as(entries + " " + arn)
        .isEqualTo(expected);
    Statistics.label("usable").collect(expected);
    Statistics.label("usable").coverage(c -> c.check(true).percentage(p -> p > 15));
  }

  @Property(tries = 2000)
  void tablesAndClustersAreLookedUpAsCompared(@ForAll("nameEntries") List<String> entries, @ForAll("names") String name) {
    List<String> all = padded(entries);
    RoleConfig role = role("arn:aws:iam::" + ACCOUNT + ":role/R",
        new AllowConfig(List.of(), List.of(), List.of(), List.of(), List.of(), all, all));
    boolean expected = all.stream().anyMatch(e -> Wildcards.matches(e, name));

    assertThat(RoleAccess.mayScanTable(role, name, REGION, null)).as(entries + " " + name).isEqualTo(expected);
    assertThat(RoleAccess.mayReadCluster(role, name, REGION, null)).as(entries + " " + name).isEqualTo(expected);
  }

  @Property(tries = 2000)
  void attachedAndAssumableRolesAreLookedUpAsCompared(@ForAll("roleLists") List<String> roles, @ForAll("roleArns") String asked) {
    List<RoleArn> arns = new ArrayList<>(roles.stream().map(RoleArn::of).toList());
    for (int i = 0; arns.size() <= 40; i++) {
      arns.add(RoleArn.of("arn:aws:iam::" + ACCOUNT + ":role/unrelated" + i));
    }
    RoleArn role = RoleArn.of(asked);
    boolean expected = arns.stream().anyMatch(a -> a.equals(role));
    ClusterConfig cluster = new ClusterConfig("c", ACCOUNT, REGION, arns, Optional.empty(), false, 1);
    AllowConfig allow = new AllowConfig(List.of(), List.of(), List.of(), List.of(), arns);

    assertThat(cluster.isAttached(role)).as(roles + " " + asked).isEqualTo(expected);
    assertThat(allow.mayAssume(role)).as(roles + " " + asked).isEqualTo(expected);
    assertThat(cluster.attachedRoles()).isEqualTo(arns);
    Statistics.label("listed").collect(expected);
    Statistics.label("listed").coverage(c -> c.check(true).percentage(p -> p > 15));
  }

  @Provide
  Arbitrary<String> partitions() {
    return Arbitraries.of("aws", "aws-cn");
  }

  @Provide
  Arbitrary<String> regions() {
    return Arbitraries.of(REGION, "eu-west-1");
  }

  @Provide
  Arbitrary<String> functionNames() {
    return Arbitraries.of("fn", "Fn", "fn2", "fn:prod", "f", "fn:1");
  }

  @Provide
  Arbitrary<String> functions() {
    return Arbitraries.of("aws", "aws-cn").flatMap(partition -> Arbitraries.of(REGION, "eu-west-1").flatMap(region ->
        Arbitraries.of(ACCOUNT, "999999999999").flatMap(account -> functionNames().map(name ->
            "arn:" + partition + ":lambda:" + region + ":" + account + ":function:" + name))));
  }

  @Provide
  Arbitrary<List<String>> lambdaEntries() {
    Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(4, functionNames()), Tuple.of(1, Arbitraries.of("f*", "fn?", "*", "F*")));
    Arbitrary<String> partial = Arbitraries.of(ACCOUNT, "999999999999", "12345678901?").flatMap(account ->
        name.map(n -> account + ":function:" + n));
    Arbitrary<String> full = Arbitraries.of("arn:aws:lambda:" + REGION + ":", "arn:aws-cn:lambda:eu-west-1:", "arn:aws:lambda:*:")
        .flatMap(head -> partial.map(p -> head + p));
    return Arbitraries.oneOf(name, partial, full).list().ofMaxSize(30);
  }

  @Provide
  Arbitrary<String> databases() {
    return Arbitraries.of("sales", "Sales", "SALES", "sales2", "s", "\u017Fales", "ki", "k\u0131", "K\u0130");
  }

  @Provide
  Arbitrary<List<String>> glueEntries() {
    Arbitrary<String> name = Arbitraries.frequencyOf(Tuple.of(4, databases()), Tuple.of(1, Arbitraries.of("sal*", "s?les", "*", "S*")));
    Arbitrary<String> arn = Arbitraries.of("arn:aws:glue:" + REGION + ":" + ACCOUNT + ":database/",
        "arn:aws:glue:" + REGION + ":999999999999:database/", "arn:aws:glue:*:*:database/", "ARN:aws:glue:" + REGION + ":"
        + ACCOUNT + ":database/").flatMap(head -> name.map(n -> head + n));
    return Arbitraries.oneOf(name, arn, Arbitraries.of("arn:aws:glue:*")).list().ofMaxSize(30);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of("orders", "Orders", "orders-1", "j-ABC", "j-abc", "o");
  }

  @Provide
  Arbitrary<List<String>> nameEntries() {
    return Arbitraries.frequencyOf(Tuple.of(4, names()), Tuple.of(1, Arbitraries.of("ord*", "j-???", "*", "O*")))
        .list().ofMaxSize(30);
  }

  @Provide
  Arbitrary<String> roleArns() {
    return Arbitraries.of(ACCOUNT, "999999999999").flatMap(account -> Arbitraries.of("/", "/etl/").flatMap(path ->
        Arbitraries.of("Loader", "loader", "LOADER", "Other").map(name -> "arn:aws:iam::" + account + ":role" + path + name)));
  }

  @Provide
  Arbitrary<List<String>> roleLists() {
    return roleArns().list().ofMaxSize(20);
  }
}
