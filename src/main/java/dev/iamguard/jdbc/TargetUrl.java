package dev.iamguard.jdbc;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Splits {@code jdbc:iamguard:<target>} into the target driver's URL and the iamguard settings
 * written as URL arguments. Only the leading {@code iamguard:} is removed, and only
 * {@code iamguard.*} arguments, whichever separators the target's URL uses ({@code ?a=b&c=d} for
 * Redshift and PostgreSQL, {@code ;a=b} for H2 and Redshift), so the target sees its own URL. A
 * setting starts after any {@code ?}, {@code &} or {@code ;}, also a {@code ?} after the first
 * ({@code ;ssl=true?iamguard.mode=enforce} was read as one argument named {@code ssl}: the mode was
 * neither applied nor removed).
 *
 * @param url the target driver's URL, iamguard arguments removed
 * @param settings the {@code iamguard.*} arguments, keys in lower case
 * @param repeated the settings given more than once (keys in lower case), which the driver refuses:
 *     which of two modes or registries was meant cannot be known
 * @param moved for a Redshift target: taking the settings out changes how its driver reads the rest
 *     of the URL ({@link RedshiftUrl}), which the driver refuses: the target would not get the URL
 *     its owner wrote
 */
record TargetUrl(String url, Map<String, String> settings, List<String> repeated, boolean moved) {
  static final String PREFIX = "jdbc:iamguard:";

  static boolean isGuardUrl(String url) {
    return url != null && url.startsWith(PREFIX);
  }

  /**
   * The target URL of a {@code jdbc:iamguard:} URL; null for any other URL. A setting given twice
   * (in any case) is kept in {@link #repeated}, for the driver to refuse.
   */
  static TargetUrl parse(String url) {
    if (!isGuardUrl(url)) {
      return null;
    }
    String target = "jdbc:" + url.substring(PREFIX.length());
    Map<String, String> settings = new LinkedHashMap<>();
    Set<String> repeated = new LinkedHashSet<>();
    StringBuilder kept = new StringBuilder(target.length());
    // a removed "?argument" leaves the query to the next argument kept, whose separator becomes '?'
    boolean queryToOpen = false;
    int i = 0;
    int n = target.length();
    while (i < n) {
      char c = target.charAt(i);
      if (c == '?' || c == '&' || c == ';') {
        int end = i + 1;
        while (end < n && "&;?".indexOf(target.charAt(end)) < 0) {
          end++;
        }
        String argument = target.substring(i + 1, end);
        int equals = argument.indexOf('=');
        String key = equals < 0 ? argument : argument.substring(0, equals);
        if (key.regionMatches(true, 0, Setting.PREFIX, 0, Setting.PREFIX.length())) {
          String name = key.toLowerCase(Locale.ROOT);
          if (settings.put(name, equals < 0 ? "" : argument.substring(equals + 1)) != null) {
            repeated.add(name);
          }
          queryToOpen |= c == '?';
          i = end;
          continue;
        }
        kept.append(queryToOpen ? '?' : c).append(target, i + 1, end);
        queryToOpen = false;
        i = end;
      } else {
        kept.append(c);
        i++;
      }
    }
    String result = kept.toString();
    boolean moved = false;
    if (!settings.isEmpty() && target.startsWith("jdbc:redshift:") && !sameReading(target, result)) {
      // a '?' taken out with a setting may have been what cut the path from the arguments
      moved = !(queryToOpen && sameReading(target, result + "?"));
      result = moved ? result : result + "?";
    }
    return new TargetUrl(result, settings, List.copyOf(repeated), moved);
  }

  /** Whether the Redshift driver reads {@code kept} as {@code written} but for its iamguard settings. */
  private static boolean sameReading(String written, String kept) {
    Map<String, String> before = RedshiftUrl.read(written, null);
    Map<String, String> after = RedshiftUrl.read(kept, null);
    if (before == null || after == null) {
      return before == after;
    }
    before.keySet().removeIf(name -> name.startsWith(Setting.PREFIX));
    return before.equals(after);
  }
}
