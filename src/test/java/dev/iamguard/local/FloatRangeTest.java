package dev.iamguard.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iamguard.sql.SqlScript;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A REAL is the text rounded once to a float, and its range is judged on that float: the range test
 * compared the text read as a double with Float.MAX_VALUE, and the shortest text of the largest
 * REAL (3.4028235E38) is a double slightly above it, so COPY refused what UNLOAD wrote and what Spark
 * staged through Avro (red-team review). Every boundary class of REAL and DOUBLE PRECISION.
 */
class FloatRangeTest extends WithLocalDb {
  private static final String ROLE = " IAM_ROLE 'arn:aws:iam::123456789012:role/R'";
  private static final TargetColumn REAL = new TargetColumn("V", Types.REAL, "REAL", 24, 0, true, false);
  private static final TargetColumn DOUBLE = new TargetColumn("V", Types.DOUBLE, "DOUBLE PRECISION", 53, 0, true,
      false);
  /** Halfway between the largest float and the next power of two: ties to even round it to infinity. */
  private static final BigDecimal HALFWAY = new BigDecimal((double) Float.MAX_VALUE)
      .add(new BigDecimal(Math.ulp(Float.MAX_VALUE)).divide(BigDecimal.valueOf(2)));

  ValueParser parser;

  @BeforeEach
  void parser() throws Exception {
    parser = new ValueParser(CopyOptions.of(SqlScript.parse("COPY t FROM 's3://b/k'" + ROLE).statements().get(0)
        .command()));
  }

  private Object parse(TargetColumn column, String text) throws LoadProblem {
    return parser.parse(column, text);
  }

  /** {@code text} with each sign it may carry. */
  private static List<String> signed(String text) {
    return List.of(text, "+" + text, "-" + text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"3.4028235E38", "3.4028235e38", "3.4028235e+38", "3.4028235E+038",
      "340282350000000000000000000000000000000", "340282350000000000000000000000000000000.000",
      "0.00034028235e42", "34028235E31", "3.4028234663852886E38", "3.40282356779733E38"})
  void everyTextOfTheLargestRealLoadsAsIt(String text) throws LoadProblem {
    for (String s : signed(text)) {
      assertThat(parse(REAL, s)).isEqualTo(s.startsWith("-") ? -Float.MAX_VALUE : Float.MAX_VALUE);
    }
  }

  @Test
  void theTextsUnloadAndAvroWriteOfTheLargestRealsLoadBack() throws LoadProblem {
    float f = Float.MAX_VALUE;
    for (int i = 0; i < 10_000; i++, f = Math.nextDown(f)) {
      for (float v : new float[] {f, -f}) {
        assertThat(parse(REAL, Float.toString(v))).isEqualTo(v);  // Avro's text of a float
        assertThat(parse(REAL, ValueText.floating(Float.toString(v), v))).isEqualTo(v);  // UNLOAD's
        assertThat(parse(REAL, new BigDecimal(v).toPlainString())).isEqualTo(v);  // its exact value
      }
    }
  }

  @Test
  void aTextThatRoundsBeyondTheLargestRealIsOutOfRange() throws LoadProblem {
    List<String> beyond = new ArrayList<>();
    beyond.add(HALFWAY.toString());  // a tie: rounds to even, which is infinity
    beyond.add(HALFWAY.toPlainString());
    beyond.add(new BigDecimal(Math.nextUp(HALFWAY.doubleValue())).toString());  // the next double above
    beyond.add(Double.toString(Math.nextUp(HALFWAY.doubleValue())));
    beyond.add("3.5E38");
    beyond.add("1E39");
    beyond.add("1E300");
    for (String text : beyond) {
      for (String s : signed(text)) {
        assertThatThrownBy(() -> parse(REAL, s)).isInstanceOf(LoadProblem.class)
            .hasMessageContaining("out of range for REAL");
      }
    }
    // just below the tie: still the largest REAL
    BigDecimal below = HALFWAY.subtract(BigDecimal.ONE);
    assertThat(parse(REAL, below.toPlainString())).isEqualTo(Float.MAX_VALUE);
    assertThat(parse(REAL, Double.toString(Math.nextDown(HALFWAY.doubleValue())))).isEqualTo(Float.MAX_VALUE);
  }

  @Test
  void subnormalsLoadAndWhatRoundsToZeroIsAnUnderflow() throws LoadProblem {
    BigDecimal halfMin = new BigDecimal(Float.MIN_VALUE).divide(BigDecimal.valueOf(2));
    for (String s : signed("1.4E-45")) {
      assertThat(parse(REAL, s)).isEqualTo(s.startsWith("-") ? -Float.MIN_VALUE : Float.MIN_VALUE);
    }
    assertThat(parse(REAL, "1.0E-45")).isEqualTo(Float.MIN_VALUE);
    assertThat(parse(REAL, halfMin.add(new BigDecimal("1E-60")).toString())).isEqualTo(Float.MIN_VALUE);
    assertThat(parse(REAL, Float.toString(Float.MIN_NORMAL))).isEqualTo(Float.MIN_NORMAL);
    assertThat(parse(REAL, Float.toString(Math.nextDown(Float.MIN_NORMAL)))).isEqualTo(Math.nextDown(Float.MIN_NORMAL));
    for (String text : new String[] {halfMin.toString(), "7.0E-46", "1E-50", "4.9E-324"}) {
      for (String s : signed(text)) {
        assertThatThrownBy(() -> parse(REAL, s)).isInstanceOf(LoadProblem.class)
            .hasMessageContaining("underflow");
      }
    }
  }

  @Test
  void zeroesKeepTheirSign() throws LoadProblem {
    for (String text : new String[] {"0", "0.0", "0e10", "0.000E-99"}) {
      assertThat(Float.floatToIntBits((Float) parse(REAL, text))).isEqualTo(Float.floatToIntBits(0.0f));
      assertThat(Float.floatToIntBits((Float) parse(REAL, "-" + text))).isEqualTo(Float.floatToIntBits(-0.0f));
      assertThat(Double.doubleToLongBits((Double) parse(DOUBLE, "-" + text))).isEqualTo(Double.doubleToLongBits(-0.0));
    }
  }

  @Test
  void doublePrecisionHasItsOwnBoundaries() throws LoadProblem {
    for (String s : signed(Double.toString(Double.MAX_VALUE))) {
      assertThat(parse(DOUBLE, s)).isEqualTo(s.startsWith("-") ? -Double.MAX_VALUE : Double.MAX_VALUE);
    }
    assertThat(parse(DOUBLE, "3.4028235E38")).isEqualTo(3.4028235E38);
    assertThat(parse(DOUBLE, "4.9E-324")).isEqualTo(Double.MIN_VALUE);
    for (String text : new String[] {"1.7976931348623159E308", "1E309"}) {
      assertThatThrownBy(() -> parse(DOUBLE, text)).hasMessageContaining("out of range for DOUBLE PRECISION");
    }
    assertThatThrownBy(() -> parse(DOUBLE, "2.4E-324")).hasMessageContaining("underflow");
  }

  @Test
  void unloadThenCopyGivesBackTheExtremeReals() throws Exception {
    db.sql("CREATE TABLE src (id INT, v REAL)");
    db.sql("CREATE TABLE dst (id INT, v REAL)");
    float[] extremes = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
        Math.nextDown(Float.MAX_VALUE), -0.0f};
    try (PreparedStatement insert = db.connection.prepareStatement("INSERT INTO src VALUES (?, ?)")) {
      for (int i = 0; i < extremes.length; i++) {
        insert.setInt(1, i);
        insert.setFloat(2, extremes[i]);
        insert.executeUpdate();
      }
    }
    for (String format : new String[] {"", " CSV"}) {
      db.sql("DELETE FROM dst");
      db.run("UNLOAD ('select * from src') TO 's3://b/u" + format.length() + "/'" + ROLE + " ALLOWOVERWRITE" + format);
      assertThat(db.run("COPY dst FROM 's3://b/u" + format.length() + "/'" + ROLE + format).rows())
          .isEqualTo(extremes.length);
      assertThat(db.rows("SELECT * FROM dst ORDER BY id")).isEqualTo(db.rows("SELECT * FROM src ORDER BY id"));
    }
  }
}
