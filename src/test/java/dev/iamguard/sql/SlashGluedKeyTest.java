package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A secret access key or an access key id glued to the folders of a path ({@code iam/<secret>.json},
 * {@code ab/<key id>}, {@code team/2024/<secret>/trust}): one run of credential characters that no
 * shape matches whole, as a secret holds {@code /} itself (probe 24c F2: a policy file name and an
 * alias quoted such keys in registry problems). Every mask for people hides the key and, mostly, keeps
 * the folders (up to three chars glued to a key are masked with it, as a joiner's rest; a folder that
 * makes a 40-char stretch with the secret's start is masked with it); names that only look alike (an S3 location's key, a role's name in its ARN, a run without
 * a 40-char stretch between {@code /}s) stay as written.
 */
class SlashGluedKeyTest {
  private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  private static final String FOLDER_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final List<String> CONTEXTS = List.of("%s", "policy file \"%s\" is not readable", "trust: %s",
      "alias '%s' is not a name", "select 1 -- %s", "copy t from 's3://acmedata/x' iam_role '%s'");
  private static final List<String> SUFFIXES = List.of("", "/x", "/trust", ".json", "/a/b.json", "/", ",next");
  private static final List<UnaryOperator<String>> MASKS = List.of(SecretText::masked, sql -> SecretSpans.mask(sql, "***"));

  @Test
  void aKeyBetweenFoldersIsMaskedAndTheFoldersKept() {
    Random random = new Random(20261202L);
    int checked = 0;
    int kept = 0;
    for (int i = 0; i < 3_000; i++) {
      String key = i % 2 == 0 ? secret(random) : keyId(random);
      String folders = folders(random, 1 + random.nextInt(3));
      String suffix = SUFFIXES.get(random.nextInt(SUFFIXES.size()));
      String context = CONTEXTS.get(random.nextInt(CONTEXTS.size()));
      String text = String.format(context, folders + key + suffix);
      for (UnaryOperator<String> mask : MASKS) {
        String masked = mask.apply(text);
        assertThat(masked).as(text).doesNotContain(key);
        kept += masked.contains(folders + "***") ? 1 : 0;
        checked++;
      }
    }
    assertThat(checked).isEqualTo(6_000);
    assertThat(kept).as("masks that keep the folders before the key").isGreaterThan(checked * 8 / 10);
  }

  @Test
  void aKeyBeforeFoldersIsMasked() {
    Random random = new Random(20261203L);
    for (int i = 0; i < 1_000; i++) {
      String key = i % 2 == 0 ? secret(random) : keyId(random);
      String text = String.format(CONTEXTS.get(i % CONTEXTS.size()), key + "/" + folders(random, 1 + random.nextInt(2)) + "x");
      for (UnaryOperator<String> mask : MASKS) {
        assertThat(mask.apply(text)).as(text).doesNotContain(key);
      }
    }
  }

  /** Names that look alike stay as written: the masks must not make reports unreadable or refuse a rewrite. */
  @Test
  void namesThatOnlyLookAlikeStay() {
    Random random = new Random(20261204L);
    for (int i = 0; i < 1_000; i++) {
      String folders = folders(random, 1 + random.nextInt(3));
      String secret = secret(random);
      String name = alphanumeric(random, 36) + "aZ9q";
      List<String> texts = List.of(
          "copy t from 's3://acmedata/" + folders + secret + "/part' iam_role 'arn:aws:iam::123456789012:role/R'",
          "arn:aws:iam::123456789012:role/" + folders + name,
          // no stretch of exactly 40 between the run's ends and its '/'s
          folders + alphanumeric(random, 35 + random.nextInt(4)) + "aZ9",
          folders + alphanumeric(random, 38 + random.nextInt(20)) + "aZ9",
          folders + "AKIA" + alphanumeric(random, 16).toLowerCase(java.util.Locale.ROOT));
      for (String text : texts) {
        if (text.startsWith(folders) && (betweenSlashes40(text) || text.length() >= 80)) {
          continue; // the random folders made a 40-char stretch after all, or a token's length
        }
        for (UnaryOperator<String> mask : MASKS) {
          assertThat(mask.apply(text)).as(text).isEqualTo(text);
        }
      }
    }
  }

  /** Whether the text's run of credential chars holds 40 chars between two of its bounds ('/' or its ends). */
  private static boolean betweenSlashes40(String text) {
    List<Integer> bounds = new java.util.ArrayList<>(List.of(-1, text.length()));
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '/') {
        bounds.add(i);
      }
    }
    for (int a : bounds) {
      for (int b : bounds) {
        if (b - a - 1 == 40) {
          return true;
        }
      }
    }
    return false;
  }

  private static String folders(Random random, int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      for (int k = 1 + random.nextInt(12); k > 0; k--) {
        out.append(FOLDER_CHARS.charAt(random.nextInt(FOLDER_CHARS.length())));
      }
      out.append('/');
    }
    return out.toString();
  }

  /** A secret access key: 40 of the base64 alphabet, with an upper-case and a lower-case letter and a digit. */
  private static String secret(Random random) {
    StringBuilder out = new StringBuilder(40);
    for (int i = 0; i < 37; i++) {
      out.append(BASE64.charAt(random.nextInt(BASE64.length())));
    }
    return out.insert(random.nextInt(38), "aZ9").toString();
  }

  private static String keyId(Random random) {
    String prefix = List.of("AKIA", "ASIA", "ABIA", "ACCA").get(random.nextInt(4));
    StringBuilder out = new StringBuilder(prefix);
    for (int k = 16 + random.nextInt(9); k > 0; k--) {
      out.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt(random.nextInt(32)));
    }
    return out.toString();
  }

  private static String alphanumeric(Random random, int n) {
    StringBuilder out = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      out.append(FOLDER_CHARS.charAt(random.nextInt(FOLDER_CHARS.length())));
    }
    return out.toString();
  }
}
