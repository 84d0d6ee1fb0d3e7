package dev.iamguard.jdbc;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code jdbc:redshift:} URL and its connection properties read exactly as the Redshift JDBC
 * driver 2.2.5 reads them ({@code com.amazon.redshift.Driver.parseURL}), so that the guard decides
 * on the arguments the driver uses and not on ones it throws away. The driver is not called: it is
 * an optional dependency, and its reading is kept here rule for rule (RedshiftUrlDifferentialTest
 * checks it against the driver itself over a generated class of URLs).
 *
 * <p>Its rules, some of them surprising:
 *
 * <ul>
 *   <li>the URL is cut at the first {@code ?}, or when there is none at the first {@code ;}; what
 *       follows are the arguments, separated by {@code ;} or {@code &}, values URL-decoded, names
 *       case-insensitive, a later one winning;
 *   <li>in a {@code jdbc:redshift:iam:} URL a {@code ;} before the {@code ?} starts arguments that
 *       <em>replace</em> those after the {@code ?}: {@code /dev;?DbGroups=etl} has no argument at
 *       all, {@code /dev;ssl=true?DbGroups=etl} only {@code ssl};
 *   <li>the {@code iam:} form sets {@code IAMAuth}, {@code host}, {@code port}, and from an AWS
 *       host name {@code ClusterID} and {@code region} (serverless: workgroup, account and, when
 *       none is given, region), over the connection properties; URL arguments come last and win.
 * </ul>
 *
 * The driver also looks the host's CNAME up in DNS when an IAM URL names no region; that lookup is
 * not repeated here (see {@link Identity} for how the guard deals with what it may change).
 */
final class RedshiftUrl {
  private static final String PREFIX = "jdbc:redshift:";
  private static final Pattern URL_PATTERN = Pattern.compile("(iam:)?//([^:/?]+)(:([^/?]*))?(/([^?;]*))?([?;](.*))?");
  /** The driver's patterns, also case-sensitive as the driver's are. */
  static final Pattern PROVISIONED_HOST = Pattern.compile("(.+)\\.(.+)\\.(.+).redshift(-dev)?\\.amazonaws\\.com(.)*");
  static final Pattern SERVERLESS_HOST = Pattern.compile("(.+)\\.(.+)\\.(.+).redshift-serverless(-dev)?\\.amazonaws\\.com(.)*");

  private RedshiftUrl() {}

  /**
   * The properties the driver connects with, names in lower case, before its DNS lookup and
   * before any {@code rsjdbc.ini} or {@code driverconfig.properties} fills gaps; null when the
   * driver does not accept the URL (it returns no connection, or fails on a value it cannot
   * decode).
   */
  static Map<String, String> read(String url, Properties properties) {
    Map<String, String> props = new HashMap<>();
    if (properties != null) {
      for (String name : properties.stringPropertyNames()) {
        props.put(name.toLowerCase(Locale.ENGLISH), properties.getProperty(name));
      }
    }
    String urlServer = url;
    String urlArgs = "";
    int q = url.indexOf('?');
    if (q < 0) {
      q = url.indexOf(';');
    }
    if (q >= 0) {
      urlServer = url.substring(0, q);
      urlArgs = url.substring(q + 1);
    }
    if (!urlServer.startsWith(PREFIX)) {
      return null;
    }
    urlServer = urlServer.substring(PREFIX.length());
    try {
      if (urlServer.startsWith("iam:")) {
        Matcher m = URL_PATTERN.matcher(urlServer);
        if (!m.matches()) {
          return null;
        }
        String host = m.group(2);
        String port = m.group(4);
        props.put("iamauth", String.valueOf(m.group(1) != null));
        if (port != null && !port.matches("\\d*")) {
          props.put("clusterid", host); // jdbc:redshift:iam://cluster:region/db
          props.put("region", port);
        } else {
          props.put("host", host);
          props.put("port", port == null || port.isEmpty() ? "5439" : port);
          hostName(props, host);
        }
        if (m.group(6) != null) {
          props.put("dbname", decode(m.group(6)));
        }
        if (m.group(8) != null) {
          urlArgs = m.group(8); // a ';' before the '?': what follows it replaces the query
        }
      } else {
        props.put("iamauth", "false");
        if (!urlServer.startsWith("//")) {
          props.putIfAbsent("port", "5439");
          props.putIfAbsent("host", "localhost");
          props.putIfAbsent("dbname", decode(urlServer));
        } else {
          urlServer = urlServer.substring(2);
          int slash = urlServer.indexOf('/');
          if (slash < 0) {
            return null;
          }
          props.put("dbname", decode(urlServer.substring(slash + 1)));
          StringBuilder hosts = new StringBuilder();
          StringBuilder ports = new StringBuilder();
          for (String address : urlServer.substring(0, slash).split(",")) {
            int colon = address.lastIndexOf(':');
            if (colon >= 0 && address.lastIndexOf(']') < colon) {
              String port = address.substring(colon + 1);
              try {
                int number = Integer.parseInt(port);
                if (number < 1 || number > 65535) {
                  return null;
                }
              } catch (NumberFormatException e) {
                return null;
              }
              ports.append(port);
              hosts.append(address, 0, colon);
            } else {
              ports.append("5439");
              hosts.append(address);
            }
            ports.append(',');
            hosts.append(',');
          }
          ports.setLength(ports.length() - 1);
          hosts.setLength(hosts.length() - 1);
          props.put("port", ports.toString());
          props.put("host", hosts.toString());
        }
      }
      for (String token : urlArgs.split("[;&]")) {
        if (!token.isEmpty()) {
          int equals = token.indexOf('=');
          if (equals < 0) {
            props.put(token.toLowerCase(Locale.ENGLISH), "");
          } else {
            props.put(token.substring(0, equals).toLowerCase(Locale.ENGLISH), decode(token.substring(equals + 1)));
          }
        }
      }
    } catch (IllegalArgumentException e) {
      return null; // a value URLDecoder cannot decode: the driver fails on it too
    }
    return props;
  }

  /** The driver's {@code parseHostName}: what an AWS host name says, over what was set before. */
  private static void hostName(Map<String, String> props, String host) {
    Matcher provisioned = PROVISIONED_HOST.matcher(host);
    if (provisioned.matches()) {
      props.put("clusterid", provisioned.group(1));
      props.put("region", provisioned.group(3));
      return;
    }
    Matcher serverless = SERVERLESS_HOST.matcher(host);
    if (serverless.matches()) {
      String region = props.get("region");
      if (region == null || region.isEmpty()) {
        props.put("region", serverless.group(3));
      }
      props.put("serverlessacctid", serverless.group(2));
      props.put("serverlessworkgroup", serverless.group(1));
    }
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
