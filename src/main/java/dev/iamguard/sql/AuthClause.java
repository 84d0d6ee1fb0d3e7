package dev.iamguard.sql;

import java.util.List;

/**
 * The authorization clause of a statement, as written. Key and token values are never kept: only
 * which keywords and CREDENTIALS keys were present.
 *
 * @param form the form of the first auth keyword written; {@link AuthForm#NONE} when there is none
 * @param isDefault {@code IAM_ROLE DEFAULT}
 * @param roles the role strings as written: the chain split at {@code ,arn:} boundaries; for
 *     {@code CREDENTIALS 'aws_iam_role=...'} the value after {@code aws_iam_role=}; empty for
 *     DEFAULT, keys or none
 * @param roleText the whole role value as written (null when there is none)
 * @param keywords the auth keywords in the order written, upper case ({@code IAM_ROLE},
 *     {@code CREDENTIALS}, {@code ACCESS_KEY_ID}, {@code SECRET_ACCESS_KEY}, {@code SESSION_TOKEN});
 *     more than one clause form means a conflict
 * @param credentialKeys the keys of a CREDENTIALS string as written ({@code aws_iam_role},
 *     {@code aws_access_key_id}, {@code aws_secret_access_key}, {@code token},
 *     {@code master_symmetric_key})
 * @param roleLiterals how many adjacent literals hold the role value (more than one is a chain split
 *     over several literals)
 * @param span the source span from the first auth keyword to the end of the last auth value; null
 *     for NONE
 * @param valueSpan the token holding the role value ({@code DEFAULT} or the literal); the only bytes
 *     a rewrite replaces; null when there is none
 */
public record AuthClause(
    AuthForm form,
    boolean isDefault,
    List<String> roles,
    String roleText,
    List<String> keywords,
    List<String> credentialKeys,
    int roleLiterals,
    Span span,
    Span valueSpan) {

  /** A statement without any authorization clause. */
  public static final AuthClause NONE =
      new AuthClause(AuthForm.NONE, false, List.of(), null, List.of(), List.of(), 0, null, null);

  public AuthClause {
    roles = List.copyOf(roles);
    keywords = List.copyOf(keywords);
    credentialKeys = List.copyOf(credentialKeys);
  }

  /** True when a session token is supplied ({@code SESSION_TOKEN} or CREDENTIALS {@code token=}). */
  public boolean sessionToken() {
    return keywords.contains(AuthWords.SESSION_TOKEN) || credentialKeys.contains("token");
  }

  /** True when access keys are supplied, in either form. */
  public boolean usesKeys() {
    return keywords.contains(AuthWords.ACCESS_KEY_ID)
        || keywords.contains(AuthWords.SECRET_ACCESS_KEY)
        || credentialKeys.contains("aws_access_key_id")
        || credentialKeys.contains("aws_secret_access_key");
  }

  /**
   * True for {@code IAM_ROLE 'SESSION'} in any case of its ASCII letters: the caller's own identity,
   * no role assumed. {@code equalsIgnoreCase} also took {@code 'ſession'} (long s) and
   * {@code 'SESSıON'} (dotless i), which name no role and are not the word either.
   */
  public boolean isSession() {
    return roles.size() == 1 && isSessionWord(roles.get(0));
  }

  /**
   * Whether a role value as written ({@code IAM_ROLE}, {@code CATALOG_ROLE}) is the word
   * {@code SESSION} in any case of its ASCII letters only: {@code 'ſession'} (long s) is not it.
   */
  public static boolean isSessionWord(String role) {
    return role.length() == 7 && AsciiCase.regionMatches(role, 0, "SESSION");
  }

  /** As a record writes itself, with every secret masked ({@link MaskedText}). */
  @Override
  public String toString() {
    return MaskedText.of(this);
  }
}
