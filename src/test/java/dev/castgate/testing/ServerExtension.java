package dev.castgate.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Starts the servers that {@link CastgateServer} asks for. Each server is put in the JUnit store of
 * the scope it belongs to (the class, or the test), which closes it when that scope ends, whether
 * its tests passed, failed or were skipped, and also when a start failed part-way.
 */
public final class ServerExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ServerExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        for (Field field : fields(context.getRequiredTestClass(), f -> Modifier.isStatic(f.getModifiers()))) {
            field.set(null, start(context, field.getAnnotation(CastgateServer.class)));
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : fields(instance.getClass(), f -> !Modifier.isStatic(f.getModifiers()))) {
                field.set(instance, start(context, field.getAnnotation(CastgateServer.class)));
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.isAnnotated(CastgateServer.class) && parameter.getParameter().getType() == TestServer.class;
    }

    @Override
    public TestServer resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return start(context, parameter.findAnnotation(CastgateServer.class).orElseThrow());
    }

    private static List<Field> fields(Class<?> type, Predicate<Field> which) {
        List<Field> fields = AnnotationSupport.findAnnotatedFields(type, CastgateServer.class, which, HierarchyTraversalMode.TOP_DOWN);
        for (Field field : fields) {
            if (field.getType() != TestServer.class) {
                throw new ExtensionConfigurationException("@CastgateServer is for fields of type TestServer, not " + field);
            }
            field.setAccessible(true);
        }
        return fields;
    }

    /** Starts a server whose closing the store of {@code context} owns. */
    private static TestServer start(ExtensionContext context, CastgateServer annotation) {
        TestServer server = annotation.mail() ? TestServer.startWithMail(settings(annotation)) : TestServer.start(settings(annotation));
        context.getStore(NAMESPACE).put(new Object(), server);
        return server;
    }

    static Map<String, String> settings(CastgateServer annotation) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String setting : annotation.value()) {
            int equals = setting.indexOf('=');
            if (equals <= 0) throw new ExtensionConfigurationException("a @CastgateServer setting is NAME=value, not " + setting);
            settings.put(setting.substring(0, equals), setting.substring(equals + 1));
        }
        return settings;
    }
}
