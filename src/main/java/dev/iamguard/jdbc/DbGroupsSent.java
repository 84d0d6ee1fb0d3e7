package dev.iamguard.jdbc;

import java.io.File;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Whether the Redshift driver (2.2.5) sends a connection's {@code DbGroups} to the server, so that
 * the login user joins them: only through GetClusterCredentials (v1), which its
 * {@code IamHelper.findTypeOfGetClusterCredentialsAPI} picks for IAM authentication of a
 * provisioned cluster without {@code groupFederation}. It does not send them
 * <ul>
 *   <li>with {@code groupFederation=true} (GetClusterCredentialsWithIAM: the groups come from IAM);
 *   <li>to serverless ({@code *.redshift-serverless.amazonaws.com}, or {@code isServerless=true}
 *       with a host that is not a provisioned one and a ClusterID not starting
 *       {@code redshift-serverless-});
 *   <li>with the native IdP plugins ({@code BasicJwtCredentialsProvider},
 *       {@code BasicNativeSAMLCredentialsProvider}), which log in without IAM credentials at all.
 * </ul>
 *
 * The guard counts them only when it can prove that path: fewer groups can only deny more. A
 * plugin it does not know (a custom class) is not proof, and neither is a connection whose gaps the
 * driver may fill from files the guard does not read: an {@code rsjdbc.ini} (named by
 * {@code IniFile} or {@code AMAZON_REDSHIFT_JDBC_INI_FILE}, or found beside the driver's jar, in
 * {@code user.home} or {@code java.io.tmpdir}) or a {@code com/amazon/redshift/driverconfig.properties}
 * on the driver's class path, either of which may say {@code groupFederation=true} or
 * {@code isServerless=true} for a connection that does not; nor an {@code AuthProfile}, whose
 * properties the driver fetches from AWS.
 */
final class DbGroupsSent {
  /**
   * The driver's own plugins that get IAM credentials from a SAML identity provider: the driver
   * then still calls GetClusterCredentials with the DbGroups given (it takes the provider's only
   * when none are).
   */
  private static final Set<String> SAML_PLUGINS = Set.of("adfscredentialsprovider", "azurecredentialsprovider",
      "browserazurecredentialsprovider", "browsersamlcredentialsprovider", "oktacredentialsprovider",
      "pingcredentialsprovider", "basicsamlcredentialsprovider");
  private static final String PLUGIN_PACKAGE = "com.amazon.redshift.plugin.";
  static final String INI_ENV = "AMAZON_REDSHIFT_JDBC_INI_FILE";

  private DbGroupsSent() {}

  /**
   * The groups the login user joins, as the driver sends them; empty unless the v1 path is proven.
   *
   * @param driver the connection's properties as the driver reads them ({@link RedshiftUrl})
   * @param driverFiles whether files the guard does not read may fill gaps ({@link #driverFilesMayApply})
   */
  static List<String> of(Map<String, String> driver, boolean driverFiles) {
    String groups = driver.get("dbgroups");
    if (groups == null || driverFiles || !Boolean.parseBoolean(driver.get("iamauth")) || !knownIamPlugin(driver.get("plugin_name"))
        || Boolean.parseBoolean(driver.get("groupfederation")) || serverless(driver)) {
      return List.of();
    }
    if (Boolean.parseBoolean(driver.get("forcelowercase"))) {
      groups = groups.toLowerCase(Locale.getDefault()); // as the driver lowers them
    }
    List<String> list = new ArrayList<>();
    for (String group : groups.split(",")) {
      if (!group.isBlank()) {
        list.add(group.strip());
      }
    }
    return list;
  }

  /** No plugin, or one of the driver's SAML plugins, whose login goes through GetClusterCredentials. */
  private static boolean knownIamPlugin(String plugin) {
    if (plugin == null) {
      return true;
    }
    return plugin.regionMatches(true, 0, PLUGIN_PACKAGE, 0, PLUGIN_PACKAGE.length())
        && SAML_PLUGINS.contains(plugin.substring(PLUGIN_PACKAGE.length()).toLowerCase(Locale.ROOT));
  }

  /** IamHelper.setIAMProperties' test, in its order. */
  static boolean serverless(Map<String, String> driver) {
    String host = driver.get("host");
    String clusterId = driver.get("clusterid");
    if (host != null && RedshiftUrl.PROVISIONED_HOST.matcher(host).matches()
        || clusterId != null && clusterId.startsWith("redshift-serverless-")) {
      return false;
    }
    return host != null && RedshiftUrl.SERVERLESS_HOST.matcher(host).matches() || "true".equalsIgnoreCase(driver.get("isserverless"));
  }

  /** {@link #driverFilesMayApply(Map, Function, String, String, String, boolean)} for this JVM. */
  static boolean driverFilesMayApply(Map<String, String> driver) {
    String jarFolder = null;
    boolean driverConfig = false;
    try {
      Class<?> redshift = Class.forName("com.amazon.redshift.Driver", false, Thread.currentThread().getContextClassLoader());
      var source = redshift.getProtectionDomain().getCodeSource();
      if (source != null && source.getLocation() != null) {
        String path = source.getLocation().getPath();
        jarFolder = path.substring(0, Math.max(0, path.lastIndexOf('/')));
      }
      ClassLoader loader = redshift.getClassLoader() != null ? redshift.getClassLoader() : ClassLoader.getSystemClassLoader();
      URL config = loader.getResource("com/amazon/redshift/driverconfig.properties");
      driverConfig = config != null;
    } catch (ClassNotFoundException | LinkageError | SecurityException e) {
      // not visible from here: the file beside its jar cannot be looked for, the others still are
    }
    return driverFilesMayApply(driver, System::getenv, jarFolder, System.getProperty("user.home"),
        System.getProperty("java.io.tmpdir"), driverConfig);
  }

  /**
   * Whether the driver may read an {@code rsjdbc.ini} (its {@code Driver.getJdbcIniFile}: the
   * {@code IniFile} property, the environment variable, then {@code rsjdbc.ini} in the jar's folder,
   * {@code user.home}, {@code java.io.tmpdir}), has a {@code driverconfig.properties}, or fetches an
   * {@code AuthProfile}.
   */
  static boolean driverFilesMayApply(Map<String, String> driver, Function<String, String> env, String jarFolder,
      String home, String tmp, boolean driverConfig) {
    if (driverConfig || present(driver.get("inifile")) || present(env.apply(INI_ENV)) || present(driver.get("authprofile"))) {
      return true;
    }
    for (String folder : new String[] {jarFolder, home, tmp}) {
      if (present(folder) && new File(folder + File.separator + "rsjdbc.ini").exists()) {
        return true;
      }
    }
    return false;
  }

  private static boolean present(String value) {
    return value != null && !value.isEmpty();
  }
}
