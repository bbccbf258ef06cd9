package dev.castgate.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The log: one line per event on standard output, at {@code CASTGATE_LOG_LEVEL} (INFO unless set),
 * with the libraries' chatter held to warnings. Set up in code rather than by a logback.xml,
 * whose XML reading cost tens of milliseconds of every start. A configuration file named by
 * {@code -Dlogback.configurationFile} still replaces it entirely.
 *
 * <p>The format is text or JSON ({@code log.format}). Logging starts before the settings are
 * read, so it starts in the format {@code CASTGATE_LOG_FORMAT} names and {@link #use} switches it
 * once the settings file is read. A request's lines carry its id ({@code request_id}, see
 * {@code http.AccessLog}): in brackets after the logger's name, or as a key of {@code mdc}.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    private static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSX,UTC} %-5level %logger{24}"
            + "%replace( [%X{request_id}]){' \\[\\]', ''} - %msg%n";
    private static final String APPENDER = "STDOUT";
    private static final List<String> LIBRARIES = List.of("org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.flywaydb");

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName(APPENDER);
        console.setEncoder(encoder(context, format(System.getenv("CASTGATE_LOG_FORMAT"))));
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(System.getenv("CASTGATE_LOG_LEVEL")));
        root.addAppender(console);
        for (String library : LIBRARIES) context.getLogger(library).setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Switches the log to {@code format}; nothing when a Logback file replaced this set-up. */
    public static void use(ServerConfig.LogFormat format) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
        if (!(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(APPENDER) instanceof ConsoleAppender<ILoggingEvent> console)) return;
        Encoder<ILoggingEvent> old = console.getEncoder();
        if (format == ServerConfig.LogFormat.JSON ? old instanceof JsonEncoder : old instanceof PatternLayoutEncoder) return;
        console.stop();
        console.setEncoder(encoder(context, format));
        console.start();
        old.stop();
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, ServerConfig.LogFormat format) {
        if (format == ServerConfig.LogFormat.JSON) {
            // The message once, formatted; its arguments, the context's name and the counters add
            // nothing a reader needs.
            JsonEncoder json = new JsonEncoder();
            json.setContext(context);
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithMessage(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.start();
            return json;
        }
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(context);
        text.setPattern(PATTERN);
        text.start();
        return text;
    }

    /** {@code json} in any case; text otherwise (a wrong value is reported when the settings are read). */
    static ServerConfig.LogFormat format(String name) {
        return name != null && name.trim().equalsIgnoreCase("json") ? ServerConfig.LogFormat.JSON : ServerConfig.LogFormat.TEXT;
    }

    /** TRACE, DEBUG, INFO, WARN, ERROR or OFF, in any case; INFO when unset or unknown. */
    static Level level(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.trim(), Level.INFO);
    }
}
