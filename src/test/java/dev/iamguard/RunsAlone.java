package dev.iamguard;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that bounds its own time ({@code @Timeout}, {@code assertTimeoutPreemptively}): a
 * linearity or hang guard. Surefire runs the other classes in two JVMs side by side and these
 * afterwards in one JVM with nothing beside it, so a bound never measures a neighbour's load
 * (pom.xml, executions {@code default-test} and {@code alone}; RepositoryConventionsTest requires
 * the annotation wherever a bound is).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("alone")
public @interface RunsAlone {
}
