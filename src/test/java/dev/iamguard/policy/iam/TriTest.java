package dev.iamguard.policy.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Kleene's three-valued logic: FALSE decides an and, TRUE an or, UNKNOWN stays otherwise. */
class TriTest {

  @ParameterizedTest(name = "{0} and/or {1}")
  @CsvSource({
      "TRUE,    TRUE,    TRUE,    TRUE",
      "TRUE,    FALSE,   FALSE,   TRUE",
      "TRUE,    UNKNOWN, UNKNOWN, TRUE",
      "FALSE,   TRUE,    FALSE,   TRUE",
      "FALSE,   FALSE,   FALSE,   FALSE",
      "FALSE,   UNKNOWN, FALSE,   UNKNOWN",
      "UNKNOWN, TRUE,    UNKNOWN, TRUE",
      "UNKNOWN, FALSE,   FALSE,   UNKNOWN",
      "UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN",
  })
  void truthTable(Tri a, Tri b, Tri and, Tri or) {
    assertThat(a.and(b)).isEqualTo(and);
    assertThat(a.or(b)).isEqualTo(or);
  }

  @Test
  void notAndOf() {
    assertThat(Tri.TRUE.not()).isEqualTo(Tri.FALSE);
    assertThat(Tri.FALSE.not()).isEqualTo(Tri.TRUE);
    assertThat(Tri.UNKNOWN.not()).isEqualTo(Tri.UNKNOWN);
    assertThat(Tri.of(true)).isEqualTo(Tri.TRUE);
    assertThat(Tri.of(false)).isEqualTo(Tri.FALSE);
  }

  @Test
  void aMissingAnswerIsNoTruthValue() {
    assertThatThrownBy(() -> Tri.TRUE.and(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Tri.FALSE.or(null)).isInstanceOf(NullPointerException.class);
  }
}
