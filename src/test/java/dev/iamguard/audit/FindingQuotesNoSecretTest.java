package dev.iamguard.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.Decision;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.Guard;
import dev.iamguard.policy.Session;
import dev.iamguard.policy.StatementDecision;
import dev.iamguard.policy.registry.RegistryLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A finding's sentence goes on the audit line, the JSON line and the denial beside the statement,
 * which the {@link Redactor} masks; the sentence quotes what stands where a location or role belongs
 * (a location's user info, an IAM_ROLE literal). Passwords that hold a space, {@code ;}, {@code =},
 * {@code #}, a quote and other characters no credential shape has were masked in the statement and
 * printed whole in the sentence (S3_NOT_PERMITTED, ARN_MALFORMED, CHAIN_FORMAT). Oracle: the
 * password is the one the test wrote into the statement; it must be nowhere in a finding's message,
 * subject or remedy, the audit line or the JSON line.
 */
class FindingQuotesNoSecretTest {
  /** Characters a password may hold that no credential shape of SecretText's net takes. */
  private static final String ODD = " ;=#?'\"%+~!,.:-_()[]{}<>*&|é\t";
  private static final String PLAIN = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  /** Statements with {@code %s} where the password goes, as written in the literal (quotes doubled). */
  private static final List<String> SHAPES = List.of(
      "COPY t FROM 's3://AKIAQWERTYUIOPASDFGH:%s@lake/in/t/' IAM_ROLE 'loader'",
      "COPY t FROM 's3://bob:%s@lake/in/t/' IAM_ROLE 'loader'",
      "COPY t FROM 'https://bob:%s@lake.example.com/in/t/' IAM_ROLE 'loader'",
      "COPY t FROM 's3://bob:%s@elsewhere/in/t/' IAM_ROLE 'arn:aws:iam::123456789012:role/Nobody'",
      "UNLOAD ('select 1') TO 's3://bob:%s@lake/out/x_' IAM_ROLE 'loader'",
      "CREATE LIBRARY l LANGUAGE plpythonu FROM 's3://bob:%s@lake/in/l.zip' IAM_ROLE 'loader'",
      "COPY t FROM 's3://lake/in/t/' IAM_ROLE 'arn:aws:iam::123456789012:role/Loader secret_access_key %s'",
      "COPY t FROM 's3://lake/in/t/' IAM_ROLE 'aws_secret_access_key=%s'");

  @Test
  void noFindingOrAuditLineQuotesAPasswordTheStatementHolds() throws Exception {
    Guard guard = new Guard(RegistryLoader.load(Path.of("src/test/resources/jdbc/registry.yaml").toAbsolutePath()));
    Session session = Session.of("etl", "dev-cluster");
    Random random = new Random(20261205);
    int checked = 0;
    List<String> leaks = new ArrayList<>();
    for (String shape : SHAPES) {
      for (int n = 0; n < 150; n++) {
        String password = password(random);
        String sql = shape.replace("%s", password.replace("'", "''"));
        Decision decision = guard.inspect(sql, session);
        for (StatementDecision statement : decision.inspectedStatements()) {
          List<Finding> findings = statement.allFindings();
          assertThat(findings).as(sql).isNotEmpty();
          List<String> printed = new ArrayList<>();
          for (Finding finding : findings) {
            printed.add(finding.message());
            printed.add(finding.subject());
            printed.add(finding.remedy());
          }
          AuditEvent event = new AuditEvent("pool", statement.verdict().name(), "enforce", "etl", "dev-cluster", 1, 1,
              statement.statement().command().kind().name(), findings.stream().map(Finding::ruleId).toList(),
              findings.get(0).message(), Redactor.redact(statement.sql()));
          printed.add(AuditLog.format(event));
          printed.add(JsonLinesAuditFile.format(event, Instant.EPOCH));
          for (String text : printed) {
            // the line escapes a tab and a quote; the password is looked for as any of them may print it
            if (text != null && (text.contains(password) || text.contains(password.replace("\t", "\\t"))
                || text.contains(password.replace("\"", "\\\"")))) {
              leaks.add(sql + " -> " + text);
              break; // one leak per statement counted
            }
          }
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(SHAPES.size() * 150);
    assertThat(leaks).as("%d of %d statements leak", leaks.size(), checked).isEmpty();
  }

  /** A password of 6 to 20 characters, a third of them odd ones, starting and ending plain. */
  private static String password(Random random) {
    int length = 6 + random.nextInt(15);
    StringBuilder password = new StringBuilder(length);
    password.append(PLAIN.charAt(random.nextInt(PLAIN.length())));
    for (int i = 1; i < length - 1; i++) {
      String from = random.nextInt(3) == 0 ? ODD : PLAIN;
      password.append(from.charAt(random.nextInt(from.length())));
    }
    return password.append(PLAIN.charAt(random.nextInt(PLAIN.length()))).toString();
  }
}
