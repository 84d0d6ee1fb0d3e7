package dev.iamguard.policy.suggest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iamguard.policy.iam.RoleArn;
import dev.iamguard.policy.registry.Registry;
import dev.iamguard.policy.registry.RegistryLoader;
import dev.iamguard.sql.SqlScript;
import dev.iamguard.sql.SqlStatement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A suggestion is complete only when its IAM documents grant what its covered statements need, over
 * each command form with its options present and absent: UNLOAD with KMS_KEY_ID (a key ARN, an alias,
 * an alias ARN, a key id, none) with and without ENCRYPTED, by one role and by a chain; COPY of
 * ENCRYPTED objects; CREATE EXTERNAL SCHEMA with and without CREATE EXTERNAL DATABASE IF NOT EXISTS,
 * CATALOG_ID and REGION; CREATE EXTERNAL TABLE and CETAS through a schema from the Data Catalog, from
 * a Hive metastore, and from a registry that names its database or not; CREATE MODEL with
 * S3_GARBAGE_COLLECT absent, ON and OFF, with a KMS key ARN, an alias or none. Each case checks the
 * documents grant exactly the KMS, Glue create and S3 delete and put actions on exactly the resources
 * needed (the last role of the chain only), and that a need whose resource is unnamed makes the
 * suggestion incomplete with the permission named.
 */
class SuggestUngrantedNeedsTest {
  private static final String ACCOUNT = "123456789012";
  private static final String FIRST = "arn:aws:iam::" + ACCOUNT + ":role/First";
  private static final String ROLE = "arn:aws:iam::" + ACCOUNT + ":role/Loader";
  private static final String KEY = "arn:aws:kms:us-west-2:" + ACCOUNT + ":key/1234abcd-12ab-34cd-56ef-1234567890ab";
  private static final String SYMMETRIC = "c2VjcmV0LWtleS1mb3ItdGVzdHMtMzItYnl0ZXMhIQ==";
  private static final List<String> KMS = List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey");
  /** The actions these needs are about: any other the documents grant is left to other tests. */
  private static final Set<String> WATCHED = Set.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey",
      "glue:CreateDatabase", "glue:CreateTable", "s3:DeleteObject", "s3:PutObject");
  private static final String GLUE = "arn:aws:glue:us-west-2:" + ACCOUNT;

  /** A case: the script, whether with a registry, what the last role is granted, and the need not granted. */
  record Case(String name, String script, boolean registry, Map<String, Set<String>> granted, String ungranted) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    List<Case> cases = new ArrayList<>();
    unloads(cases);
    copies(cases);
    schemas(cases);
    tables(cases);
    models(cases);
    return cases.stream().map(Arguments::of);
  }

  private static void unloads(List<Case> cases) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("no key", null);
    keys.put("key ARN", KEY);
    keys.put("alias", "alias/unload");
    keys.put("alias ARN", "arn:aws:kms:us-west-2:" + ACCOUNT + ":alias/unload");
    keys.put("key id", "1234abcd-12ab-34cd-56ef-1234567890ab");
    for (Map.Entry<String, String> key : keys.entrySet()) {
      for (boolean encrypted : List.of(true, false)) {
        for (boolean chain : List.of(true, false)) {
          String script = "unload ('select 1') to 's3://out-bucket/rep/' iam_role '" + (chain ? FIRST + "," : "") + ROLE
              + "'" + (key.getValue() == null ? "" : " kms_key_id '" + key.getValue() + "'")
              + (encrypted ? " encrypted" : "") + (encrypted && key.getValue() == null ? " master_symmetric_key '" + SYMMETRIC + "'" : "")
              + ";";
          Map<String, Set<String>> granted = new TreeMap<>(Map.of("s3:PutObject", Set.of("arn:aws:s3:::out-bucket/rep/*")));
          String missing = null;
          if (KEY.equals(key.getValue())) {
            KMS.forEach(a -> granted.put(a, Set.of(KEY)));
          } else if (key.getValue() != null) {
            missing = "kms:GenerateDataKey";
          }
          cases.add(new Case("UNLOAD " + key.getKey() + (encrypted ? " ENCRYPTED" : "") + (chain ? " by a chain" : ""),
              script, false, granted, missing));
        }
      }
    }
    // ENCRYPTED without KMS_KEY_ID: with a root symmetric key (as a clause, or in CREDENTIALS) it is
    // client-side, no KMS; without one (AUTO, or none) the bucket's default KMS key, which no statement names
    Map<String, String> clientSide = new LinkedHashMap<>();
    clientSide.put("ENCRYPTED AUTO", " encrypted auto");
    clientSide.put("ENCRYPTED", " encrypted");
    clientSide.put("ENCRYPTED AUTO MANIFEST", " manifest encrypted auto");
    clientSide.put("ENCRYPTED MASTER_SYMMETRIC_KEY", " encrypted master_symmetric_key '" + SYMMETRIC + "'");
    clientSide.put("ENCRYPTED CREDENTIALS master_symmetric_key", " encrypted");
    for (Map.Entry<String, String> form : clientSide.entrySet()) {
      for (boolean chain : List.of(true, false)) {
        String auth = form.getKey().contains("CREDENTIALS")
            ? "credentials 'aws_iam_role=" + (chain ? FIRST + "," : "") + ROLE + ";master_symmetric_key=" + SYMMETRIC + "'"
            : "iam_role '" + (chain ? FIRST + "," : "") + ROLE + "'";
        cases.add(new Case("UNLOAD " + form.getKey() + (chain ? " by a chain" : ""),
            "unload ('select 1') to 's3://out-bucket/rep/' " + auth + form.getValue() + ";", false,
            new TreeMap<>(Map.of("s3:PutObject", Set.of("arn:aws:s3:::out-bucket/rep/*"))),
            form.getKey().contains("MASTER_SYMMETRIC_KEY") || form.getKey().contains("master_symmetric_key") ? null
                : "kms:GenerateDataKey on the bucket's default KMS key"));
      }
    }
  }

  private static void copies(List<Case> cases) {
    for (boolean encrypted : List.of(true, false)) {
      cases.add(new Case("COPY" + (encrypted ? " ENCRYPTED" : ""), "copy t from 's3://in-bucket/x/' iam_role '" + ROLE
          + "'" + (encrypted ? " encrypted master_symmetric_key '" + SYMMETRIC + "'" : "") + ";", false, Map.of(),
          encrypted ? "kms:Decrypt" : null));
    }
  }

  private static void schemas(List<Case> cases) {
    for (boolean create : List.of(true, false)) {
      for (boolean elsewhere : List.of(true, false)) {
        String glue = elsewhere ? "arn:aws:glue:eu-west-1:210987654321" : GLUE;
        String script = "create external schema s from data catalog database 'SalesDb' iam_role '" + ROLE + "'"
            + (elsewhere ? " catalog_id '210987654321' region 'eu-west-1'" : "")
            + (create ? " create external database if not exists" : "") + ";";
        Map<String, Set<String>> granted = create ? Map.of("glue:CreateDatabase", Set.of(glue + ":catalog",
            glue + ":database/SalesDb", glue + ":database/salesdb")) : Map.of();
        cases.add(new Case("CREATE EXTERNAL SCHEMA" + (create ? " CREATE EXTERNAL DATABASE" : "")
            + (elsewhere ? " CATALOG_ID REGION" : ""), script, false, granted, null));
      }
    }
  }

  private static void tables(List<Case> cases) {
    String catalog = "create external schema s from data catalog database 'salesdb' iam_role '" + ROLE + "';\n";
    String hive = "create external schema s from hive metastore database 'salesdb' uri 'h' port 9083 iam_role '"
        + ROLE + "';\n";
    Map<String, String> sources = new LinkedHashMap<>();
    sources.put("a Data Catalog schema", catalog);
    sources.put("a Hive schema", hive);
    sources.put("a registry schema with its database", "");
    sources.put("a registry schema without its database", "");
    for (Map.Entry<String, String> source : sources.entrySet()) {
      for (boolean cetas : List.of(true, false)) {
        String schema = source.getKey().endsWith("without its database") ? "nodb" : "s";
        String script = source.getValue() + "create external table " + schema + ".Sales (a int) stored as parquet "
            + "location 's3://lake-bucket/sales/'" + (cetas ? " as select 1" : "") + ";";
        Map<String, Set<String>> granted = new TreeMap<>();
        if (cetas) {
          granted.put("s3:PutObject", Set.of("arn:aws:s3:::lake-bucket/sales/*"));
        }
        boolean glue = !source.getKey().contains("Hive") && !source.getKey().endsWith("without its database");
        if (glue) {
          granted.put("glue:CreateTable", Set.of(GLUE + ":catalog", GLUE + ":database/salesdb",
              GLUE + ":table/salesdb/sales"));
        }
        cases.add(new Case((cetas ? "CETAS" : "CREATE EXTERNAL TABLE") + " through " + source.getKey(), script,
            source.getKey().contains("registry"), granted,
            source.getKey().endsWith("without its database") ? "glue:CreateTable" : null));
      }
    }
  }

  private static void models(List<Case> cases) {
    for (String collect : new String[] {null, "on", "off"}) {
      for (String key : new String[] {null, KEY, "alias/models"}) {
        String settings = "s3_bucket 'model-bucket'" + (collect == null ? "" : ", s3_garbage_collect " + collect)
            + (key == null ? "" : ", kms_key_id '" + key + "'");
        String script = "create model m from t target y function f iam_role '" + ROLE + "' settings (" + settings + ");";
        Map<String, Set<String>> granted = new TreeMap<>(Map.of("s3:PutObject", Set.of("arn:aws:s3:::model-bucket/*")));
        if (!"off".equals(collect)) {
          granted.put("s3:DeleteObject", Set.of("arn:aws:s3:::model-bucket/*"));
        }
        if (KEY.equals(key)) {
          KMS.forEach(a -> granted.put(a, Set.of(KEY)));
        }
        cases.add(new Case("CREATE MODEL S3_GARBAGE_COLLECT " + (collect == null ? "absent" : collect)
            + (key == null ? "" : KEY.equals(key) ? " KMS key ARN" : " KMS alias"), script, false, granted,
            "alias/models".equals(key) ? "kms:GenerateDataKey" : null));
      }
    }
    // brought from a SageMaker job ("FROM { ... | 'job_name' | 's3_path' }"): the job's artifacts lie at an
    // S3 location the statement does not name; from an S3 path they are that key, granted
    for (String from : List.of("'sagemaker-job-123'", "'MyAutopilotJob'", "'s3://model-bucket/m/model.tar.gz'")) {
      String script = "create model m from " + from + " function f(int) returns int iam_role '" + ROLE
          + "' settings (s3_bucket 'model-bucket');";
      Map<String, Set<String>> granted = new TreeMap<>(Map.of("s3:PutObject", Set.of("arn:aws:s3:::model-bucket/*"),
          "s3:DeleteObject", Set.of("arn:aws:s3:::model-bucket/*")));
      cases.add(new Case("CREATE MODEL FROM " + from, script, false, granted,
          from.contains("s3://") ? null : "s3:GetObject and s3:ListBucket on the model artifacts of the SageMaker job"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theDocumentsGrantWhatIsNeededOrTheSuggestionSaysWhatIsNot(Case c) throws Exception {
    Suggestion s = suggest(c);
    assertThat(s.gaps()).as(c.script()).isEmpty();
    assertThat(watched(s, ROLE)).as(c.script()).isEqualTo(c.granted());
    if (c.script().contains(FIRST)) {
      assertThat(watched(s, FIRST)).as("the first role of the chain needs none of them").isEmpty();
    }
    if (c.ungranted() == null) {
      assertThat(s.complete()).as(c.script()).isTrue();
      assertThat(s.ungranted()).isEmpty();
    } else {
      assertThat(s.complete()).as("%s: never complete with a need not granted", c.script()).isFalse();
      assertThat(s.ungranted()).singleElement().satisfies(g -> assertThat(g.reason()).contains(c.ungranted())
          .doesNotContain(SYMMETRIC));
      assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("do not grant"));
      assertThat(RegistryYaml.shortForm(s)).contains("# not granted (the IAM documents lack it):\n#   load.sql:");
    }
  }

  private static Suggestion suggest(Case c) throws Exception {
    Optional<Registry> registry = Optional.empty();
    if (c.registry()) {
      registry = Optional.of(RegistryLoader.parse("""
          version: 1
          clusters:
            - id: c1
              account: "%1$s"
              region: us-west-2
              attached_roles: ["%2$s"]
          roles:
            - arn: "%2$s"
              trust: { regions: [us-west-2] }
              allow: { s3_read: ["s3://lake-bucket/"], s3_write: ["s3://lake-bucket/"], glue_databases: [salesdb] }
          external_schemas:
            s: { iam_role: "%2$s", database: salesdb }
            nodb: { iam_role: "%2$s" }
          """.formatted(ACCOUNT, ROLE), "given.yaml", null));
    }
    ScriptNeeds needs = new ScriptNeeds(registry.isPresent()
        ? new SuggestRequest(registry, null, null, null, null, List.of("etl"), 0)
        : new SuggestRequest(Optional.empty(), "c1", ACCOUNT, "us-west-2", null, List.of("etl"), 0));
    for (SqlStatement statement : SqlScript.parse(c.script()).statements()) {
      needs.add("load.sql", statement);
    }
    return needs.suggestion();
  }

  /** The watched actions the role's permissions policy allows, each with its resources. */
  @SuppressWarnings("unchecked")
  private static Map<String, Set<String>> watched(Suggestion s, String arn) {
    Map<String, Set<String>> allowed = new TreeMap<>();
    Optional<SuggestedRole> role = s.role(RoleArn.of(arn));
    if (role.isEmpty()) {
      return allowed;
    }
    Map<String, Object> permissions = IamDocuments.of(role.get(), s.cluster()).permissions();
    if (permissions == null) {
      return allowed;
    }
    for (Object statement : (List<Object>) permissions.get("Statement")) {
      Map<String, Object> fields = (Map<String, Object>) statement;
      Object action = fields.get("Action");
      List<String> actions = action instanceof String one ? List.of(one) : (List<String>) action;
      for (String name : actions) {
        if (WATCHED.contains(name)) {
          allowed.computeIfAbsent(name, a -> new LinkedHashSet<>()).addAll((List<String>) fields.get("Resource"));
        }
      }
    }
    return allowed;
  }
}
