package dev.iamguard.sql;

/**
 * The last mask over a text for people (a finding's message, a location, a registry error), which
 * may quote what a user wrote where a name belongs: every piece shaped like an AWS credential,
 * every run of credential characters with a key's shape, every location's user info
 * ({@link BareCredentials}) and the value of every secret's {@code name=value}
 * ({@link RoleTextSecrets}) is masked.
 */
public final class SecretText {
  /** What a masked value reads as. */
  public static final String MASK = BareCredentials.MASK;

  private SecretText() {}

  /**
   * {@code text} with every credential-shaped piece, user info and value of a secret's
   * {@code name=value} (or JSON {@code "Name":"value"}) masked; the same instance when none.
   */
  public static String masked(String text) {
    // the shapes last, in runs of credential characters wherever they stand: a key pair joined by
    // "::", "->" or "..", or a secret with a "." after it, is no piece the separators cut out
    // (probe 23d F4: such values were quoted whole by messages, explain and registry problems)
    return text == null ? null : BareCredentials.maskedShapes(BareCredentials.maskedBareUserInfo(
        BareCredentials.maskedUserInfo(BareCredentials.masked(RoleTextSecrets.masked(text, false)))));
  }
}
