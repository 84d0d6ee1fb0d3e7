package dev.iamguard.policy.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each refused spelling of an S3 location gets the message that names what is wrong with it, and a
 * dot that belongs to the bucket name is no path problem (a percent sign in the bucket is: no S3 bucket holds one).
 */
class S3PrefixProblemsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "s3://b/a%2Eb              | holds a percent-encoded dot, slash or backslash",
      "s3://b/a/%2f/c            | holds a percent-encoded dot, slash or backslash",
      "s3://b/%5C                | holds a percent-encoded dot, slash or backslash",
      "s3://b/a//c               | holds an empty path segment (//)",
      "s3://b//a                 | holds an empty path segment (//)",
      "s3://b/a/./c              | holds a . or .. path segment",
      "s3://b/a/..               | holds a . or .. path segment",
      "s3://b/.                  | holds a . or .. path segment",
      "s3://b/../c               | holds a . or .. path segment",
      "s3:///a                   | has no bucket",
      "s3://                     | has no bucket",
      "gs://b/a                  | is not an s3:// location",
      "s3://b%2e/key             | names a bucket with a character S3 bucket names do not hold (only lower-case"
          + " letters, digits, dots and hyphens), so which bucket it reaches cannot be checked",
  })
  void refusedSpellingsSayWhy(String location, String problem) {
    assertThat(S3Prefixes.problem(location)).isEqualTo(problem);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3://bucket./key", "s3://my.bucket./a/b", "s3://b/a%20b", "s3://b/...",
      "s3://b/.a/..b/c.", "s3://b/a/", "s3://b", "s3://b/"})
  void whatIsNoPathProblem(String location) {
    assertThat(S3Prefixes.problem(location)).isNull();
  }
}
