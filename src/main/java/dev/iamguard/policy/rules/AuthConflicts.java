package dev.iamguard.policy.rules;

import dev.iamguard.sql.AuthClause;
import java.util.List;

/**
 * The conflicts {@link dev.iamguard.policy.RuleId#AUTH_CONFLICT} denies, for the rule and for {@code suggest}, which
 * grants nothing for such a statement (two IAM_ROLE clauses are no chain): IAM_ROLE, CREDENTIALS and
 * access keys are mutually exclusive; a clause may not be given twice; a session token needs both
 * keys, and a key id needs its secret.
 */
public final class AuthConflicts {
  private AuthConflicts() {}

  /** What makes {@code auth} a conflict the guard denies; empty when there is none. */
  public static java.util.Optional<String> problem(AuthClause auth) {
    String[] conflict = conflict(auth);
    return conflict == null ? java.util.Optional.empty() : java.util.Optional.of(conflict[1]);
  }

  /** The first conflict of the clause as {subject, problem}, or null when there is none. */
  static String[] conflict(AuthClause auth) {
    List<String> keywords = auth.keywords();
    List<String> keys = auth.credentialKeys();
    // the lists hold a handful of entries: scanning them beats building sets for every statement
    String twice = repeated(keywords);
    if (twice != null) {
      return new String[] {twice, twice + " is given twice"};
    }
    if (repeated(keys) != null) {
      return new String[] {"CREDENTIALS", "a CREDENTIALS key is given twice"};
    }
    int forms = (keywords.contains("IAM_ROLE") ? 1 : 0) + (keywords.contains("CREDENTIALS") ? 1 : 0)
        + (keywords.contains("ACCESS_KEY_ID") || keywords.contains("SECRET_ACCESS_KEY")
            || keywords.contains("SESSION_TOKEN") ? 1 : 0);
    if (forms > 1) {
      return new String[] {String.join(" + ", keywords),
          "the statement mixes " + String.join(", ", keywords) + "; the forms are mutually exclusive"};
    }
    if (keys.contains("aws_iam_role") && (keys.contains("aws_access_key_id") || keys.contains("aws_secret_access_key") || keys.contains("token"))) {
      return new String[] {"CREDENTIALS", "CREDENTIALS mixes aws_iam_role with access keys"};
    }
    boolean keyId = keywords.contains("ACCESS_KEY_ID") || keys.contains("aws_access_key_id");
    boolean secret = keywords.contains("SECRET_ACCESS_KEY") || keys.contains("aws_secret_access_key");
    if (auth.sessionToken() && !(keyId && secret)) {
      return new String[] {"SESSION_TOKEN", "a session token is given without both access keys"};
    } else if (keyId != secret) {
      return new String[] {keyId ? "ACCESS_KEY_ID" : "SECRET_ACCESS_KEY", keyId
          ? "an access key id is given without its secret access key"
          : "a secret access key is given without its access key id"};
    }
    return null;
  }

  /** The first entry that appears twice, or null. */
  private static String repeated(List<String> entries) {
    for (int i = 1; i < entries.size(); i++) {
      if (entries.subList(0, i).contains(entries.get(i))) {
        return entries.get(i);
      }
    }
    return null;
  }
}
