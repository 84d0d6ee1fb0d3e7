package dev.iamguard.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A role text holding {@code name=value} parts that name a key, secret or token
 * ({@code iam_role 'arn:...:role/R,aws_access_key_id=AK..;aws_secret_access_key=wJ..'}) was read as one
 * role, and every finding, explanation and report quoted it whole. Now such a text is refused
 * (AUTH_UNPARSEABLE) and its secret values are masked in what the parser keeps, so no message holds
 * them. Generated: four places a role text stands, secret names as written and misspelt, seven
 * shapes (with {@code =} or, where a part starts, {@code :}); controls: role names that hold {@code =} under other names stay as written and usable.
 */
class RoleTextSecretsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/RedshiftCopyUnload";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYzSECRET";
  private static final String OTHER = "AKIAIOSFODNN7OTHERKEY";
  private static Guard guard;

  @BeforeAll
  static void load() throws Exception {
    guard = new Guard(RegistryLoader.load(Path.of("samples/registry.yaml")));
  }

  /** Statements with the role text in each place a role text stands. */
  private static List<String> carriers(String roles) {
    return List.of(
        "copy t from 's3://acmedata/redshift/x/' iam_role '" + roles + "'",
        "unload ('select 1') to 's3://acmedata/redshift/unload/x_' credentials 'aws_iam_role=" + roles + "'",
        "create external schema s from data catalog database 'exampledb' iam_role '" + ROLE + "' catalog_role '"
            + roles + "'",
        "grant assumerole on '" + roles + "' to bob for copy");
  }

  static Stream<String> secretRoleTexts() {
    List<String> names = List.of("aws_access_key_id", "aws_secret_access_key", "token", "aws_session_token",
        "secret_access_key", "password", "master_symmetric_key", "secret_acess_key", "AWS_SECRET_ACCESS_KEY",
        "Secret-Access-Key", "session-token");
    List<String> texts = new ArrayList<>();
    for (String name : names) {
      texts.add(ROLE + "," + name + "=" + SECRET);
      texts.add(ROLE + "," + name + " = " + SECRET);
      texts.add(name + "=" + SECRET);
      texts.add(ROLE + ",aws_access_key_id=" + OTHER + ";" + name + "=" + SECRET);
      texts.add(ROLE + "," + name + "=" + SECRET + "," + ROLE);
      texts.add(ROLE + "," + name + ":" + SECRET); // a CREDENTIALS key mistyped with a colon
      texts.add(name + " : " + SECRET + ";" + ROLE);
    }
    return texts.stream().flatMap(text -> carriers(text).stream());
  }

  @ParameterizedTest
  @MethodSource("secretRoleTexts")
  void aRoleTextHoldingASecretIsRefusedAndNeverQuoted(String sql) {
    Decision decision = guard.inspect(sql, Session.of("user1", null));

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.findings()).extracting(Finding::rule).contains(RuleId.AUTH_UNPARSEABLE);
    assertThat(decision.findings()).extracting(Finding::message)
        .anyMatch(message -> message.contains("holds a key, secret or token"));
    List<String> said = new ArrayList<>();
    said.add(decision.toString());
    for (Finding finding : decision.findings()) {
      said.add(finding.message());
      said.add(String.valueOf(finding.subject()));
      said.add(String.valueOf(finding.remedy()));
    }
    for (SqlStatement statement : SqlScript.parse(sql).statements()) {
      said.add(statement.command().toString()); // what explain prints: roles, role text, grants
    }
    for (String text : said) {
      assertThat(text).as("said about %s", sql).doesNotContain(SECRET).doesNotContain("K7MDENG");
    }
  }

  static Stream<String> plainRoleTexts() {
    return Stream.of("arn:aws:iam::123456789012:role/a=b", "arn:aws:iam::123456789012:role/path=x/R",
        "arn:aws:iam::123456789012:role/key=value", "arn:aws:iam::123456789012:role/team=etl",
        "arn:aws-us-gov:iam::123456789012:role/R,arn:aws-cn:iam::210987654321:role/S",
        "arn:aws:iam::123456789012:role/token:x")
        .flatMap(text -> carriers(text).stream());
  }

  @ParameterizedTest
  @MethodSource("plainRoleTexts")
  void roleNamesHoldingEqualsUnderOtherNamesStayAsWritten(String sql) {
    Decision decision = guard.inspect(sql, Session.of("user1", null));

    assertThat(decision.findings()).extracting(Finding::message)
        .noneMatch(message -> message.contains("holds a key, secret or token"));
    String command = SqlScript.parse(sql).statements().get(0).command().toString();
    assertThat(command).doesNotContain("***");
  }

  @Test
  void theMaskKeepsTheRoleBesideTheSecretReadable() {
    Decision decision = guard.inspect(carriers(ROLE + ",aws_secret_access_key=" + SECRET).get(0), Session.of("user1", null));

    assertThat(decision.findings()).extracting(Finding::message)
        .anyMatch(message -> message.contains("holds a key, secret or token"));
    assertThat(SqlScript.parse(carriers(ROLE + ",aws_secret_access_key=" + SECRET).get(0)).statements().get(0)
        .command().auth().roleText()).isEqualTo(ROLE + ",aws_secret_access_key=***");
  }
}
