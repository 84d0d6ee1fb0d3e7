package dev.iamguard.jdbc;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a connection's statements run, as far as its URL tells: the cluster (or serverless
 * workgroup), its region and, for serverless, its account; each null when the URL does not tell.
 * It is where the driver connects, never a name the driver does not use:
 *
 * <ul>
 *   <li>the host decides: {@code <cluster>.<id>.<region>.redshift.amazonaws.com},
 *       {@code <workgroup>.<account>.<region>.redshift-serverless.amazonaws.com}; a {@code ClusterID}
 *       beside it is ignored where the driver ignores it (without IAM, for serverless, with a native
 *       plugin), and refused where the driver would ask credentials for another cluster than the
 *       host's;
 *   <li>several hosts ({@code h1:5439,h2:5439/db}, which the driver fails over between) tell a
 *       cluster only when all of them name the same one;
 *   <li>{@code jdbc:redshift:iam://<cluster>:<region>/db} names it (the driver looks its endpoint up);
 *   <li>an IAM connection to another host (an NLB, a CNAME) runs where its {@code ClusterID} (or
 *       serverless workgroup) got the credentials, but only when a region is given: without one the
 *       driver looks the host's CNAME up in DNS and takes the cluster that names, which the guard
 *       does not repeat;
 *   <li>{@code iamguard.cluster} names it when the URL does not, and is refused when it names
 *       another cluster than a host does.
 * </ul>
 */
record UrlPlace(String cluster, String region, String account) {
  static final UrlPlace UNKNOWN = new UrlPlace(null, null, null);

  /** What one host name says, or null for a host that is no Redshift endpoint name. */
  static UrlPlace ofHost(String host) {
    String[] labels = host.strip().toLowerCase(Locale.ROOT).split("\\.");
    if (labels.length < 4) {
      return null;
    }
    String domain = String.join(".", Arrays.copyOfRange(labels, 3, labels.length));
    if (domain.startsWith("redshift.amazonaws.com") || domain.startsWith("redshift-dev.amazonaws.com")) {
      return new UrlPlace(labels[0], labels[2], null);
    }
    if (domain.startsWith("redshift-serverless.amazonaws.com") || domain.startsWith("redshift-serverless-dev.amazonaws.com")) {
      return new UrlPlace(labels[0], labels[2], labels[1]);
    }
    return null;
  }

  /**
   * The place of a connection.
   *
   * @param hosts the hosts the driver may connect to, in order (empty for the cluster:region form)
   * @param driver the Redshift driver's reading ({@link RedshiftUrl}), or null for other targets
   * @param configured {@code iamguard.cluster}, or null
   * @throws SQLException when the URL names two clusters and which one the statements run on
   *     cannot be known
   */
  static UrlPlace of(List<String> hosts, Map<String, String> driver, String configured) throws SQLException {
    List<UrlPlace> places = new ArrayList<>();
    Set<String> named = new LinkedHashSet<>();
    for (String host : hosts) {
      UrlPlace place = ofHost(host);
      places.add(place);
      if (place != null) {
        named.add(place.cluster());
      }
    }
    UrlPlace place = !places.isEmpty() && places.stream().allMatch(p -> p != null && p.equals(places.get(0))) ? places.get(0) : null;
    if (driver != null && Boolean.parseBoolean(driver.get("iamauth")) && !nativePlugin(driver.get("plugin_name"))) {
      place = iamPlace(hosts, place, driver);
    }
    if (configured == null || configured.isBlank()) {
      return place == null ? UNKNOWN : place;
    }
    for (String cluster : named) {
      if (!cluster.equalsIgnoreCase(configured)) {
        throw refused("iamguard.cluster is " + configured + " but the URL's host is cluster " + cluster);
      }
    }
    if (place != null && place.cluster() != null && !place.cluster().equalsIgnoreCase(configured)) {
      throw refused("iamguard.cluster is " + configured + " but the driver connects to cluster " + place.cluster());
    }
    return place != null && place.cluster() != null ? new UrlPlace(configured, place.region(), place.account())
        : new UrlPlace(configured, null, null);
  }

  /** The place of an IAM login, whose credentials the driver asks for a named cluster. */
  private static UrlPlace iamPlace(List<String> hosts, UrlPlace fromHosts, Map<String, String> driver) throws SQLException {
    String clusterId = blankless(driver.get("clusterid"));
    String region = blankless(driver.get("region"));
    if (hosts.isEmpty()) {
      return clusterId == null ? null : new UrlPlace(clusterId.toLowerCase(Locale.ROOT), region, null);
    }
    if (fromHosts != null) {
      if (fromHosts.account() == null && !DbGroupsSent.serverless(driver) && clusterId != null
          && !clusterId.equalsIgnoreCase(fromHosts.cluster())) {
        throw refused("ClusterID is " + clusterId + " but the host is cluster " + fromHosts.cluster()
            + ": the driver would ask credentials for one and connect to the other");
      }
      return fromHosts;
    }
    if (hosts.size() != 1 || region == null || ofHost(hosts.get(0)) != null) {
      return null; // several hosts, or no region: the driver's DNS lookup may name the cluster
    }
    String id = DbGroupsSent.serverless(driver) ? blankless(driver.get("serverlessworkgroup")) : clusterId;
    return id == null ? null : new UrlPlace(id.toLowerCase(Locale.ROOT), region.toLowerCase(Locale.ROOT),
        DbGroupsSent.serverless(driver) ? blankless(driver.get("serverlessacctid")) : null);
  }

  /** The driver's native IdP plugins, which log in without IAM credentials and name no cluster. */
  private static boolean nativePlugin(String plugin) {
    return plugin != null && (plugin.equalsIgnoreCase("com.amazon.redshift.plugin.BasicJwtCredentialsProvider")
        || plugin.equalsIgnoreCase("com.amazon.redshift.plugin.BasicNativeSAMLCredentialsProvider"));
  }

  private static String blankless(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static SQLException refused(String why) {
    return new SQLException("iamguard: " + why + "; which cluster the statements run on cannot be known, so the "
        + "connection is refused: make them agree", GuardSqlStates.CONNECTION_REFUSED);
  }
}
