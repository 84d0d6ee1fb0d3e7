package dev.iamguard.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits {@code jdbc:iamguard:<target>} into the target driver's URL and the iamguard settings
 * written as URL arguments. Only the leading {@code iamguard:} is removed, and only
 * {@code iamguard.*} arguments, whichever separators the target's URL uses ({@code ?a=b&c=d} for
 * Redshift and PostgreSQL, {@code ;a=b} for H2 and Redshift), so the target sees its own URL.
 *
 * @param url the target driver's URL, iamguard arguments removed
 * @param settings the {@code iamguard.*} arguments, keys in lower case
 */
record TargetUrl(String url, Map<String, String> settings) {
  static final String PREFIX = "jdbc:iamguard:";

  static boolean isGuardUrl(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /** The target URL of a {@code jdbc:iamguard:} URL; null for any other URL. */
  static TargetUrl parse(String url) {
    if (!isGuardUrl(url)) {
      return null;
    }
    String target = "jdbc:" + url.substring(PREFIX.length());
    Map<String, String> settings = new LinkedHashMap<>();
    StringBuilder kept = new StringBuilder(target.length());
    int i = 0;
    int n = target.length();
    while (i < n) {
      char c = target.charAt(i);
      if (c == '?' || c == '&' || c == ';') {
        int end = i + 1;
        while (end < n && target.charAt(end) != '&' && target.charAt(end) != ';') {
          end++;
        }
        String argument = target.substring(i + 1, end);
        int equals = argument.indexOf('=');
        String key = equals < 0 ? argument : argument.substring(0, equals);
        if (key.regionMatches(true, 0, Setting.PREFIX, 0, Setting.PREFIX.length())) {
          settings.put(key.toLowerCase(java.util.Locale.ROOT), equals < 0 ? "" : argument.substring(equals + 1));
          if (c == '?' && end < n) {
            kept.append('?');
            i = end + 1;
          } else {
            i = end;
          }
          continue;
        }
        kept.append(target, i, end);
        i = end;
      } else {
        kept.append(c);
        i++;
      }
    }
    return new TargetUrl(kept.toString(), settings);
  }
}
