package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.IamEffect;
import dev.iamguard.policy.iam.IamPolicy;
import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.iam.TrustRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Identities suggest writes into IAM documents beside S3 keys: the database users of the trust
 * policy's {@code sts:ExternalId} condition (a condition value, where IAM substitutes policy
 * variables) and the next roles of a chain in the {@code sts:AssumeRole} Resource (where IAM also
 * reads {@code *} and {@code ?} as wildcards). A database user may be named almost anything when
 * quoted, and a role path takes any printable ASCII (IAM API, Path), so both may hold {@code *},
 * {@code ?} and {@code ${...}}: the documents must trust that user and allow that role, and no other.
 *
 * <p>Generated: 8 user names x 3 spellings of SET SESSION AUTHORIZATION (a literal; a quoted
 * identifier; upper case with comments and newlines, after another statement), and 8 role paths x
 * the same 3 spellings of the COPY; each document read by iamguard's evaluator with the variables'
 * values known, and asked about the user or role itself and about near misses (the user or role the
 * variables or wildcards would name instead). Fails without {@code IamDocuments} writing both
 * literally: {@code ${aws:SourceAccount}} trusted the user {@code 123456789012}, a path {@code p*}
 * allowed assuming {@code role/prod/Partner}.
 */
class SuggestLiteralIdentitiesTest {
  private static final String ACCOUNT = "123456789012";
  private static final String LOADER = "arn:aws:iam::" + ACCOUNT + ":role/Loader";
  private static final String COPY = "copy t from 's3://acme-data/in/' iam_role '";
  /** The values of the variables, known to the evaluator as they would be to IAM. */
  private static final Map<String, String> KNOWN = Map.of("aws:SourceAccount", ACCOUNT, "aws:username", "etl",
      "aws:PrincipalAccount", ACCOUNT);

  private static final List<String> USERS = List.of("${aws:SourceAccount}", "etl${aws:username}", "${aws:username}",
      "a*", "?", "${*}", "$x", "x${aws:SourceAccount}y");
  private static final List<String> PATHS = List.of("p*", "*", "?", "${aws:username}", "a$b", "${*}", "e?l",
      "${aws:SourceAccount}");

  static Stream<Arguments> users() {
    List<Arguments> all = new ArrayList<>();
    for (String user : USERS) {
      String copy = COPY + LOADER + "'";
      if (!user.contains("'")) {
        all.add(Arguments.of("set session authorization '" + user + "';\n" + copy + ";", user));
      }
      all.add(Arguments.of("set session authorization \"" + user + "\";\n" + copy + ";", user));
      all.add(Arguments.of("select 1;\nSET /* a */ SESSION\n AUTHORIZATION \"" + user + "\" ;\n"
          + "COPY t\n FROM 's3://acme-data/in/' /* b */ IAM_ROLE '" + LOADER + "';",
          user));
    }
    return all.stream();
  }

  static Stream<Arguments> paths() {
    List<Arguments> all = new ArrayList<>();
    for (String path : PATHS) {
      String partner = "arn:aws:iam::210987654321:role/" + path + "/Partner";
      all.add(Arguments.of(COPY + LOADER + "," + partner + "';", partner));
      all.add(Arguments.of("select 1;\nCOPY /* x */ t\nFROM 's3://acme-data/in/'\n IAM_ROLE '" + LOADER + ","
          + partner + "' ;", partner));
      all.add(Arguments.of("copy t from 's3://acme-data/in/' iam_role '" + LOADER + "," + partner
          + "' format as csv;\nunload ('select 1') to 's3://acme-data/out/' iam_role '" + LOADER + "," + partner + "';",
          partner));
    }
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("users")
  void theTrustPolicyTrustsTheUserAsNamedAndNoOther(String sql, String written) throws Exception {
    Suggestion suggestion = SuggestProperties.suggest(sql, 0);
    assertThat(suggestion.gaps()).as(sql).isEmpty();
    // a quoted or literal user name keeps its case (Redshift keeps a quoted user name's case whatever
    // enable_case_sensitive_identifier says): ${aws:SourceAccount} is trusted as written, not folded
    String user = written;
    SuggestedRole role = suggestion.roles().get(0);
    IamPolicy trust = IamPolicy.parse(IamDocumentsTest.json(IamDocuments.of(role, suggestion.cluster()).trust()),
        "Loader.trust.json");
    assertThat(trust.evaluateTrust(asUser(user))).as(sql).isEqualTo(IamEffect.ALLOW);
    for (String other : List.of(ACCOUNT, "etl", "etletl", "ab", "a", "x", "*", "", "$", "etl" + ACCOUNT, "x" + ACCOUNT + "y",
        "${aws:username}", written.toLowerCase(Locale.ROOT))) {
      if (!other.equals(user)) {
        assertThat(trust.evaluateTrust(asUser(other))).as(sql + " as " + other).isNotEqualTo(IamEffect.ALLOW);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("paths")
  void theChainAssumesTheNextRoleAsNamedAndNoOther(String sql, String partner) throws Exception {
    Suggestion suggestion = SuggestProperties.suggest(sql, 0);
    assertThat(suggestion.gaps()).as(sql).isEmpty();
    SuggestedRole loader = suggestion.roles().stream().filter(r -> r.arn().toString().equals(LOADER)).findFirst()
        .orElseThrow();
    IamPolicy permissions = IamPolicy.parse(IamDocumentsTest.json(IamDocuments.of(loader, suggestion.cluster())
        .permissions()), "Loader.permissions.json");
    assertThat(permissions.evaluate("sts:AssumeRole", partner, KNOWN)).as(sql).isEqualTo(IamEffect.ALLOW);
    for (String path : List.of("prod", "p", "x", "etl", "a", "ab", "abc", ACCOUNT, "admin/x")) {
      String other = "arn:aws:iam::210987654321:role/" + path + "/Partner";
      assertThat(permissions.evaluate("sts:AssumeRole", other, KNOWN)).as(sql + " then " + other)
          .isNotEqualTo(IamEffect.ALLOW);
    }
    assertThat(permissions.evaluate("sts:AssumeRole", "arn:aws:iam::210987654321:role/Partner", KNOWN))
        .isNotEqualTo(IamEffect.ALLOW);
    assertThat(RoleArn.parse(partner).arn()).isPresent();
  }

  private static TrustRequest asUser(String user) {
    Map<String, String> known = new java.util.HashMap<>(KNOWN);
    known.put(TrustRequest.EXTERNAL_ID, "arn:aws:redshift:us-west-2:" + ACCOUNT + ":dbuser:c1/" + user);
    return new TrustRequest(new TrustRequest.ServiceCaller("redshift", java.util.Optional.of("us-west-2")),
        TrustRequest.ASSUME_ROLE, known);
  }
}
