package dev.iamguard.jdbc;

import dev.iamguard.audit.Redactor;
import dev.iamguard.policy.Session;
import java.net.URLDecoder;
import java.sql.SQLException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What a connection's URL and properties say about who logs in, read by the Redshift driver's
 * rules (facts 6, and the driver's {@code Driver.parseURL} and {@code RedshiftConnectionImpl}):
 *
 * <ul>
 *   <li>a Redshift URL and its properties are read as the driver reads them ({@link RedshiftUrl}):
 *       names case-insensitive, a URL argument winning over a connection property of the same
 *       name, a later argument over an earlier one, and in a {@code jdbc:redshift:iam:} URL a
 *       {@code ;} before the {@code ?} replacing the query with what follows the {@code ;};
 *   <li>the connection authenticates through IAM when the URL starts with
 *       {@code jdbc:redshift:iam:} or a URL argument says {@code IAMAuth=true}; a URL argument
 *       {@code IAMAuth=false} turns it off. The driver overwrites an {@code IAMAuth} connection
 *       property with what the URL says, so the property never counts;
 *   <li>{@code DbUser} counts only for IAM authentication (otherwise the server logs in as
 *       {@code user}); {@code DbGroups} only where the driver is proven to send them
 *       ({@link DbGroupsSent}: GetClusterCredentials v1, not serverless, group federation, native
 *       plugins, nor when an {@code rsjdbc.ini} may apply), and IAM login adds the {@code IAM:}, {@code IAMA:} or {@code IAMR:}
 *       prefix that {@link #withoutIamPrefix} takes away again; a user whose own name starts so
 *       keeps it when the connection is not IAM-authenticated;
 *   <li>the cluster is the one the driver connects to ({@link UrlPlace}): the host's (all hosts'),
 *       the {@code jdbc:redshift:iam://<cluster>:<region>/db} form's, an IAM login's
 *       {@code ClusterID} for a host that is no Redshift name when a region is given; else
 *       {@code iamguard.cluster}, which is refused when it names another cluster than the host.
 * </ul>
 *
 * Redshift and PostgreSQL targets report their user, so the identity checked is theirs
 * ({@link ServerIdentity}); only a target that cannot report it (H2, others) is checked as the
 * declared user: {@code iamguard.user}, else the login user.
 */
final class Identity {
  private Identity() {}

  /**
   * Who logs in, as the URL and properties say.
   *
   * @param reports the target reports its user ({@code jdbc:redshift:}, {@code jdbc:postgresql:})
   * @param iam the connection authenticates through IAM
   * @param declaredUser for a target that cannot report: {@code iamguard.user}, else the login user; null when none
   * @param configuredUser {@code iamguard.user}, or null
   * @param dbGroups the {@code DbGroups} the driver sends to the server (the login user joins them), empty
   *     where that cannot be proven ({@link DbGroupsSent})
   * @param configuredGroups {@code iamguard.groups}
   * @param cluster the cluster or workgroup, or null
   * @param region the region the URL's host or IAM settings name, or null ({@link UrlPlace})
   * @param account the serverless account the URL's host names, or null
   * @param loginUser the user the URL and properties log in as ({@code DbUser} of an IAM login, else
   *     {@code user}), or null: on a reporting target only the session of this user joins {@code dbGroups}
   */
  record Login(boolean reports, boolean iam, String declaredUser, String configuredUser, List<String> dbGroups,
      List<String> configuredGroups, String cluster, String region, String account, String loginUser) {

    /** The session of a target that cannot report its user: the declared user and groups. */
    Session declaredSession() {
      return new Session(declaredUser, configuredGroups, List.of(), cluster);
    }

    /** The session a reporting target starts with, before the server has been asked. */
    Session unreadSession() {
      return Session.of(null, cluster).unknown("not read from the server yet");
    }
  }

  /**
   * Who logs in through {@code targetUrl} with {@code properties}.
   *
   * @throws SQLException when the Redshift driver would not accept the URL, so nothing it does can
   *     be known
   */
  static Login login(String targetUrl, Properties properties, GuardConfig config) throws SQLException {
    boolean redshift = targetUrl.startsWith("jdbc:redshift:");
    Map<String, String> merged;
    if (redshift) {
      // the driver's own reading: a ';' before the '?' of an IAM URL throws the query away, and
      // the driver sets IAMAuth from the URL whatever the properties say
      merged = RedshiftUrl.read(targetUrl, properties);
      if (merged == null) {
        throw new SQLException("iamguard: the Redshift driver does not accept the URL " + Redactor.redactUrl(targetUrl)
            + ", so what it would do with it cannot be known", GuardSqlStates.CONNECTION_REFUSED);
      }
    } else {
      merged = new HashMap<>();
      if (properties != null) {
        for (String name : properties.stringPropertyNames()) {
          merged.put(name.toLowerCase(Locale.ROOT), properties.getProperty(name));
        }
      }
      merged.putAll(urlArguments(targetUrl));
    }
    boolean iam = redshift && Boolean.parseBoolean(merged.get("iamauth"));
    boolean reports = redshift || targetUrl.startsWith("jdbc:postgresql:");
    String loginUser = first(iam ? merged.get("dbuser") : null, merged.get("user"), redshift ? merged.get("uid") : null);
    String configuredUser = config.get(Setting.USER);
    // where the driver connects, not a ClusterID it ignores (UrlPlace)
    UrlPlace place = UrlPlace.of(hostsOf(targetUrl, redshift ? merged : null), redshift ? merged : null,
        config.get(Setting.CLUSTER));
    // DbGroups count only where the driver is proven to send them (DbGroupsSent); the files it may
    // read on its own are looked for only when there are groups to count
    List<String> dbGroups = iam && merged.get("dbgroups") != null
        ? DbGroupsSent.of(merged, DbGroupsSent.driverFilesMayApply(merged)) : List.of();
    return new Login(reports, iam, first(configuredUser, loginUser), configuredUser,
        dbGroups, split(config.get(Setting.GROUPS)), place.cluster(), place.region(), place.account(), loginUser);
  }

  /** {@code user} without the prefix IAM login adds; unchanged when the connection is not IAM-authenticated. */
  static String withoutIamPrefix(String user, boolean iam) {
    if (user == null || !iam) {
      return user;
    }
    for (String prefix : new String[] {"iam:", "iama:", "iamr:"}) {
      // ASCII case only: regionMatches(true, ...) reads a dotless i as I, so "ıam:carol" was carol
      if (user.length() >= prefix.length()
          && dev.iamguard.policy.registry.Names.folded(user.substring(0, prefix.length())).equals(prefix)) {
        return user.substring(prefix.length());
      }
    }
    return user;
  }

  /**
   * The hosts a URL connects to, in order: the Redshift driver's ({@code host}, comma-separated),
   * or those of a PostgreSQL URL's authority; empty when it names none.
   */
  private static List<String> hostsOf(String targetUrl, Map<String, String> redshift) {
    if (redshift != null) {
      String hosts = redshift.get("host");
      return hosts == null ? List.of() : List.of(hosts.split(","));
    }
    String rest = afterScheme(targetUrl);
    if (rest == null) {
      return List.of();
    }
    int end = 0;
    while (end < rest.length() && "/?;".indexOf(rest.charAt(end)) < 0) {
      end++;
    }
    List<String> hosts = new ArrayList<>();
    for (String address : rest.substring(0, end).split(",")) {
      int colon = address.lastIndexOf(':');
      hosts.add(colon >= 0 && address.lastIndexOf(']') < colon ? address.substring(0, colon) : address);
    }
    return hosts;
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

  /**
   * Arguments after the first {@code ?} (or, for Redshift and H2, the first {@code ;}), separated
   * by {@code &} or {@code ;}, names in lower case; later ones win. Redshift values are URL-decoded
   * as its driver decodes them.
   */
  static Map<String, String> urlArguments(String url) {
    Map<String, String> arguments = new HashMap<>();
    boolean redshift = url.startsWith("jdbc:redshift:");
    int start = url.indexOf('?');
    if (start < 0 && (redshift || url.startsWith("jdbc:h2:"))) {
      start = url.indexOf(';');
    }
    if (start < 0) {
      return arguments;
    }
    for (String pair : url.substring(start + 1).split("[&;]")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      arguments.put((equals < 0 ? pair : pair.substring(0, equals)).toLowerCase(Locale.ROOT), redshift ? decode(value) : value);
    }
    return arguments;
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value; // the driver refuses such a URL: nothing is checked as it
    }
  }

  private static List<String> split(String list) {
    if (list == null || list.isBlank()) {
      return List.of();
    }
    return new ArrayList<>(Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
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
