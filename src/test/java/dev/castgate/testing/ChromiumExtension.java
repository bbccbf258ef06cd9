package dev.castgate.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/** Starts, resets and closes the browsers that {@link HeadlessChromium} asks for; the class's store closes them. */
public final class ChromiumExtension implements BeforeAllCallback, BeforeEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ChromiumExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : fields(context.getRequiredTestClass())) {
            Chromium chromium = Chromium.start();
            context.getStore(NAMESPACE).put(new Object(), chromium);
            field.set(null, chromium);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        for (Field field : fields(context.getRequiredTestClass())) ((Chromium) field.get(null)).reset();
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> fields = AnnotationSupport.findAnnotatedFields(type, HeadlessChromium.class, f -> true, HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            if (field.getType() != Chromium.class || !Modifier.isStatic(field.getModifiers())) {
                throw new ExtensionConfigurationException("@HeadlessChromium is for static fields of type Chromium, not " + field);
            }
            field.setAccessible(true);
        }
        return fields;
    }
}
