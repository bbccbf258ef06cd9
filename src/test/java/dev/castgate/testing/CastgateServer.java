package dev.castgate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@link TestServer} that JUnit starts and closes (its database dropped with it), by what is annotated:
 * <ul>
 *   <li>a static field: one server for the whole class, started before its {@code @BeforeAll} methods;</li>
 *   <li>an instance field: a new server for each test, started before its {@code @BeforeEach} methods;</li>
 *   <li>a parameter of a test or lifecycle method: a server for that method's scope.</li>
 * </ul>
 * Each annotated field or parameter is its own server, so a class that needs two says so twice.
 * Every server started is closed when its scope ends, also when a test fails or a later start fails.
 *
 * <pre>
 * &#64;CastgateServer static TestServer server;
 * &#64;CastgateServer("CASTGATE_ERRORS=ibm") static TestServer ibm;
 * &#64;CastgateServer(mail = true) static TestServer withMail;
 * </pre>
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ServerExtension.class)
public @interface CastgateServer {
    /** Extra settings as {@code CASTGATE_*} environment variables, each written {@code NAME=value}. */
    String[] value() default {};

    /** With a real SMTP server on loopback of its own ({@link TestServer#mail()}), which the server sends its mail to. */
    boolean mail() default false;
}
