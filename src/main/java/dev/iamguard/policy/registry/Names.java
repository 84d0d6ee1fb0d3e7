package dev.iamguard.policy.registry;

/**
 * Database user, group and role names as Redshift keeps them. Redshift folds a name written
 * without quotes to lower case, and only its ASCII letters; with
 * {@code enable_case_sensitive_identifier} on, a quoted name keeps its case, and a name the server
 * reports is exact. Java's Unicode case mapping would read distinct names as one: the Kelvin sign
 * folds to {@code k}, {@code ı} and {@code ſ} upper-case to {@code I} and {@code S}, so a user
 * {@code "KAROL"} written with the Kelvin sign was checked as {@code karol}.
 */
public final class Names {
  private Names() {}

  /**
   * {@code name} as Redshift reads it written without quotes: its ASCII letters in lower case, every
   * other char as it is (a non-ASCII letter never becomes an ASCII one). For names people write
   * (the registry, settings, {@code DbGroups}); null stays null.
   */
  public static String folded(String name) {
    if (name == null) {
      return null;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] chars = name.toCharArray();
        for (int j = i; j < chars.length; j++) {
          if (chars[j] >= 'A' && chars[j] <= 'Z') {
            chars[j] = (char) (chars[j] + ('a' - 'A'));
          }
        }
        return new String(chars);
      }
    }
    return name; // no copy of a name already folded
  }
}
