package dev.iamguard.sql;

/**
 * The last mask over a text for people (a finding's message, a location, a registry error), which
 * may quote what a user wrote where a name belongs: every piece shaped like an AWS credential,
 * every location's user info ({@link BareCredentials}) and the value of every secret's
 * {@code name=value} ({@link RoleTextSecrets}) is masked.
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
    return text == null ? null : BareCredentials.maskedBareUserInfo(BareCredentials.maskedUserInfo(
        BareCredentials.masked(RoleTextSecrets.masked(text, false))));
  }
}
