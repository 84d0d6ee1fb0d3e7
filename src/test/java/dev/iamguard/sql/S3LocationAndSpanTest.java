package dev.iamguard.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The small value types the grammar hands out: an S3 location's bucket, key and key space, and a span. */
class S3LocationAndSpanTest {
  @Test
  void bucketAndKeyAreSplitAtTheFirstSlashAfterTheScheme() {
    assertThat(S3Location.bucket("s3://b")).isEqualTo("b");
    assertThat(S3Location.key("s3://b")).isEmpty();
    assertThat(S3Location.bucket("s3://b/")).isEqualTo("b");
    assertThat(S3Location.key("s3://b/")).isEmpty();
    assertThat(S3Location.bucket("S3://my-bucket/team-a/x")).isEqualTo("my-bucket");
    assertThat(S3Location.key("S3://my-bucket/team-a/x")).isEqualTo("team-a/x");
    assertThat(S3Location.key("s3://b//double")).isEqualTo("/double");
    assertThat(S3Location.bucket("s3://")).isEmpty();
    assertThat(S3Location.key("s3://b/k")).isEqualTo("k");
  }

  /** Prefix locations (COPY sources, UNLOAD targets, external tables, a model's bucket) against one-key files. */
  @Test
  void theKeySpaceOfEachPurpose() {
    EnumSet<S3Location.Purpose> prefixes = EnumSet.of(S3Location.Purpose.COPY_SOURCE, S3Location.Purpose.UNLOAD_TARGET,
        S3Location.Purpose.MODEL_BUCKET, S3Location.Purpose.EXTERNAL_TABLE);
    for (S3Location.Purpose purpose : S3Location.Purpose.values()) {
      assertThat(purpose.keyPrefix()).as(purpose.name()).isEqualTo(prefixes.contains(purpose));
    }
  }

  @Test
  void aSpanHoldsItsStartButNotItsEnd() {
    Span span = new Span(3, 7);
    assertThat(span.length()).isEqualTo(4);
    assertThat(span.contains(2)).isFalse();
    assertThat(span.contains(3)).isTrue();
    assertThat(span.contains(6)).isTrue();
    assertThat(span.contains(7)).isFalse();
    Span empty = new Span(0, 0);
    assertThat(empty.length()).isZero();
    assertThat(empty.contains(0)).isFalse();
    assertThatThrownBy(() -> new Span(-1, 2)).isInstanceOf(IllegalArgumentException.class).hasMessage("bad span -1..2");
    assertThatThrownBy(() -> new Span(5, 4)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new Span(4, 4).length()).isZero();
  }
}
