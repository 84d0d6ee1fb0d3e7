package dev.iamguard.jdbc;

import dev.iamguard.policy.Session;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Who a connection is, as the guard needs it: the database user, its groups and the cluster,
 * read from the Redshift JDBC URL and properties (facts 6) and overridden by iamguard settings.
 *
 * <ul>
 *   <li>user: {@code iamguard.user}, else {@code DbUser} (IAM authentication), else {@code user};
 *       the {@code IAM:}, {@code IAMA:} and {@code IAMR:} prefixes are stripped;
 *   <li>groups: {@code DbGroups} plus {@code iamguard.groups};
 *   <li>cluster: {@code iamguard.cluster}, else {@code ClusterID}, else the host: a provisioned
 *       {@code <cluster>.<id>.<region>.redshift.amazonaws.com}, a serverless
 *       {@code <workgroup>.<account>.<region>.redshift-serverless.amazonaws.com}, or the
 *       {@code jdbc:redshift:iam://<cluster>:<region>/db} form. Other hosts tell nothing.
 * </ul>
 */
final class Identity {
  private Identity() {}

  static Session session(String targetUrl, Properties properties, GuardConfig config) {
    Properties merged = new Properties();
    merged.putAll(urlArguments(targetUrl));
    if (properties != null) {
      merged.putAll(properties);
    }
    String user = first(config.get(Setting.USER), GuardConfig.property(merged, "DbUser"),
        GuardConfig.property(merged, "user"));
    List<String> groups = new ArrayList<>(split(GuardConfig.property(merged, "DbGroups")));
    groups.addAll(split(config.get(Setting.GROUPS)));
    String cluster = first(config.get(Setting.CLUSTER), GuardConfig.property(merged, "ClusterID"),
        clusterFromHost(targetUrl));
    return new Session(user == null ? null : stripIamPrefix(user), groups, List.of(), cluster);
  }

  /**
   * Strips the prefixes Redshift gives users who log in through IAM: {@code IAM:} (existing user),
   * {@code IAMA:} (auto-created) and {@code IAMR:} (IAM role).
   */
  static String stripIamPrefix(String user) {
    for (String prefix : new String[] {"IAM:", "IAMA:", "IAMR:"}) {
      if (user.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return user.substring(prefix.length());
      }
    }
    return user;
  }

  /** The cluster or workgroup a Redshift URL's host names, or null. */
  static String clusterFromHost(String targetUrl) {
    String rest = afterScheme(targetUrl);
    if (rest == null) {
      return null;
    }
    int end = 0;
    while (end < rest.length() && "/?;".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    String authority = rest.substring(0, end);
    int colon = authority.lastIndexOf(':');
    String host = colon < 0 ? authority : authority.substring(0, colon);
    String port = colon < 0 ? "" : authority.substring(colon + 1);
    String[] labels = host.toLowerCase(Locale.ROOT).split("\\.");
    String domain = String.join(".", Arrays.copyOfRange(labels, Math.min(3, labels.length), labels.length));
    if (labels.length >= 4 && (domain.startsWith("redshift.amazonaws.com") || domain.startsWith("redshift-serverless.amazonaws.com"))) {
      return labels[0];
    }
    if (targetUrl.startsWith("jdbc:redshift:iam:") && !port.isEmpty() && !port.chars().allMatch(Character::isDigit)) {
      return host; // jdbc:redshift:iam://cluster-id:region/db
    }
    return null;
  }

  /** What follows {@code //} in a Redshift or PostgreSQL URL, or null for other URLs. */
  private static String afterScheme(String url) {
    for (String scheme : new String[] {"jdbc:redshift:iam://", "jdbc:redshift://", "jdbc:postgresql://"}) {
      if (url.startsWith(scheme)) {
        return url.substring(scheme.length());
      }
    }
    return null;
  }

  /** Arguments after {@code ?} or {@code ;}, separated by {@code &} or {@code ;}. */
  static Properties urlArguments(String url) {
    Properties arguments = new Properties();
    int start = url.indexOf('?');
    if (start < 0 && url.startsWith("jdbc:redshift:")) {
      start = url.indexOf(';');
    }
    if (start < 0) {
      return arguments;
    }
    for (String pair : url.substring(start + 1).split("[&;]")) {
      int equals = pair.indexOf('=');
      if (equals > 0) {
        arguments.setProperty(pair.substring(0, equals), pair.substring(equals + 1));
      }
    }
    return arguments;
  }

  private static List<String> split(String list) {
    if (list == null || list.isBlank()) {
      return List.of();
    }
    return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  private static String first(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }
}
