package dev.castgate.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@link Chromium} for the whole class on a static field: started before the class's
 * {@code @BeforeAll} methods (skipped, or failed under {@code CI=true}, where it is not installed),
 * reset before each test so each test is a new visitor, and closed when the class is done.
 *
 * <pre>
 * &#64;HeadlessChromium static Chromium chromium;
 * </pre>
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ChromiumExtension.class)
public @interface HeadlessChromium {}
