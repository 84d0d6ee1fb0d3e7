package dev.iamguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Finding;
import dev.iamguard.policy.RuleId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A finding's baseline fingerprint is the first 16 bytes, in hex, of the SHA-256 of
 * {@code iamguard-baseline-1 NUL file NUL rule NUL subject NUL} and the statement redacted, its white
 * space runs made one space and trimmed, its letters lower-cased. The statement's part is now made
 * once per statement and hashed after each finding's header: the fingerprints stay those of the
 * definition (existing baselines keep matching), computed here independently in one piece for
 * statements of every kind of text (non-ASCII, surrogate pairs at the part's start, secrets, white
 * space of every kind) and findings with and without a subject. Findings of one statement with the
 * same rule and subject share one hash ({@code Baseline.StatementFingerprints}).
 */
class BaselineFingerprintTest {
  private static final String[] STATEMENTS = {
      "copy t from 's3://acmedata/redshift/x' iam_role 'arn:aws:iam::123456789012:role/R'",
      "  COPY\tt\nFROM 's3://b/k'  IAM_ROLE  default  ",
      "\uD83D\uDE00 copy t from 's3://b/\u00e9t\u00e9' iam_role 'r'",
      "copy t from 'x' access_key_id 'AKIAIOSFODNN7EXAMPLE' secret_access_key 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'",
      "unload ('select ''a''') to 's3://b/p_' iam_role 'arn:aws:iam::123456789012:role/\u4e2d'\r\n",
      "",
  };

  static String definition(String file, Finding finding, String statement) throws Exception {
    String redacted = Redactor.redact(statement);
    StringBuilder normal = new StringBuilder();
    boolean space = false;
    boolean any = false;
    for (char c : redacted.toCharArray()) {
      if (Character.isWhitespace(c)) {
        space = any;
        continue;
      }
      if (space) {
        normal.append(' ');
        space = false;
      }
      normal.append(Character.toLowerCase(c));
      any = true;
    }
    String text = "iamguard-baseline-1\0" + file + "\0" + finding.ruleId() + "\0"
        + (finding.subject() == null ? "" : finding.subject()) + "\0" + normal;
    byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(hash, 0, 16);
  }

  @Test
  void fingerprintsAreThoseOfTheDefinition() throws Exception {
    int checked = 0;
    for (String statement : STATEMENTS) {
      byte[] part = Baseline.statementPart(statement);
      for (String file : new String[] {"etl/nightly.sql", "\u00e9t\u00e9.sql", ""}) {
        Baseline.StatementFingerprints once = new Baseline.StatementFingerprints(file, statement);
        for (RuleId rule : new RuleId[] {RuleId.STATIC_KEYS, RuleId.S3_NOT_PERMITTED, RuleId.ROLE_UNKNOWN}) {
          for (String subject : new String[] {null, "s3://b/k", "\uD83D\uDE00"}) {
            Finding finding = new Finding(rule, "m", subject, "r", 0);
            String expected = definition(file, finding, statement);
            assertThat(Baseline.fingerprint(file, finding, statement)).as(statement).isEqualTo(expected);
            // hashed once per rule and subject: a later finding with other words and offset gets the same
            assertThat(once.of(finding)).as(statement).isEqualTo(expected);
            assertThat(once.of(new Finding(rule, "other words", subject, "other remedy", 7))).as(statement)
                .isEqualTo(expected);
            checked++;
          }
        }
      }
    }
    assertThat(checked).isEqualTo(STATEMENTS.length * 3 * 3 * 3);
    assertThat(new String(Baseline.statementPart(STATEMENTS[3]), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT))
        .doesNotContain("akia", "wjalr");
  }
}
