/**
 * What frameworks need to take a {@code jdbc:iamguard:} URL as they take the target's own: Spring
 * Boot's driver class inference ({@link dev.iamguard.frameworks.SpringBootDriverInference}), a Flyway
 * database type ({@link dev.iamguard.frameworks.FlywayIamguardDatabaseType}) and Liquibase's default
 * driver ({@link dev.iamguard.frameworks.LiquibaseIamguardDatabase}).
 *
 * <p>Each framework finds its class by itself ({@code META-INF/spring.factories}, a
 * {@code META-INF/services} file) and is the only one to load it, so none of them is needed by an
 * application that does not use it. Uses {@code jdbc} only (the driver's class name).
 */
package dev.iamguard.frameworks;
