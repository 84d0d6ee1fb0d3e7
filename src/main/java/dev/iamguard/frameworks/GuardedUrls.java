package dev.iamguard.frameworks;

/** {@code jdbc:iamguard:} URLs as the frameworks see them: whose they are, and the target's URL inside. */
final class GuardedUrls {
  /** The driver every framework should load for a guarded URL. */
  static final String DRIVER = dev.iamguard.jdbc.Driver.class.getName();
  private static final String PREFIX = "jdbc:iamguard:";

  private GuardedUrls() {}

  static boolean isGuarded(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /** {@code jdbc:redshift://...} for {@code jdbc:iamguard:redshift://...}: what the target's tools recognise. */
  static String target(String url) {
    return "jdbc:" + url.substring(PREFIX.length());
  }
}
