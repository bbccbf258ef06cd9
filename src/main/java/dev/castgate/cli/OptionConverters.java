package dev.castgate.cli;

import dev.castgate.config.Durations;
import dev.castgate.domain.AccessTokenFormat;
import dev.castgate.domain.ClientAuthMethod;
import dev.castgate.domain.ClientType;
import dev.castgate.domain.GrantType;
import dev.castgate.domain.Scope;
import dev.castgate.domain.SigningAlgorithm;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.TypeConversionException;

/**
 * How option values become typed values: one converter per type, registered once on the root
 * command, through the domain's own parsers. A refused value is reported as the tool always
 * reported it, {@code castgate: } and the parser's words, with exit status 1, rather than as
 * picocli's "Invalid value for option" followed by the usage (status 2): the words say what to
 * type instead, and scripts may match them.
 */
final class OptionConverters {
    /**
     * Options whose refusal is prefixed with their name and a colon. The signing algorithm's words
     * are the same for ID tokens and access tokens, so the access token options say which.
     */
    private static final Set<String> NAMED_BEFORE_THE_MESSAGE = Set.of("--access-token-alg", "--access-token-format");

    private OptionConverters() {}

    /** Registers the converters and the report of a refused value on {@code root} and all its subcommands. */
    static CommandLine install(CommandLine root) {
        CommandLine.IParameterExceptionHandler usage = root.getParameterExceptionHandler();
        return root
                .registerConverter(ClientType.class, sentence(ClientType::parse))
                .registerConverter(SigningAlgorithm.class, sentence(SigningAlgorithm::parse))
                .registerConverter(AccessTokenFormat.class, sentence(AccessTokenFormat::parse))
                .registerConverter(ClientAuthMethod.class, raw -> ClientAuthMethod.find(raw.trim()).filter(m -> m != ClientAuthMethod.NONE)
                        .orElseThrow(() -> new RefusedValue("must be client_secret_basic, client_secret_post, private_key_jwt or client_secret_jwt", true)))
                .registerConverter(GrantType.class, raw -> GrantType.find(raw.trim())
                        .orElseThrow(() -> new RefusedValue("unknown grant type '" + raw + "'", false)))
                .registerConverter(Scope.class, raw -> Optional.ofNullable(Scope.parseOrNull(raw))
                        .orElseThrow(() -> new RefusedValue("holds characters that are not allowed", true)))
                .registerConverter(Duration.class, OptionConverters::duration)
                .registerConverter(LifetimeOrDefault.class, raw -> new LifetimeOrDefault(
                        raw.trim().equals("default") ? Optional.empty() : Optional.of(duration(raw))))
                .setParameterExceptionHandler((e, args) -> e.getCause() instanceof RefusedValue refused
                        ? report(refused, e, e.getCommandLine().getErr())
                        : usage.handleParseException(e, args));
    }

    /** A positive duration, 90s, 15m, 24h or 30d, as the configuration takes it. */
    static Duration duration(String raw) {
        try {
            return Durations.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new RefusedValue(e.getMessage(), true);
        }
    }

    /** {@code --refresh-grace}: zero turns the window off (strict reuse detection), so unlike other lifetimes it is allowed. */
    static final class ZeroOrDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String raw) {
            return raw.trim().matches("0+\\s*[smhd]?") ? Duration.ZERO : duration(raw);
        }
    }

    /** A lifetime to set, or {@code default} (empty) to go back to the server's. */
    record LifetimeOrDefault(Optional<Duration> lifetime) {}

    private static int report(RefusedValue refused, CommandLine.ParameterException e, PrintWriter err) {
        String option = e.getArgSpec() instanceof OptionSpec o ? o.longestName() : "";
        String message = refused.followsTheOptionName ? option + " " + refused.getMessage()
                : NAMED_BEFORE_THE_MESSAGE.contains(option) ? option + ": " + refused.getMessage()
                : refused.getMessage();
        err.println("castgate: " + message);
        return 1;
    }

    /** A parser whose words are a whole sentence ("client type must be web or native, not 'x'"). */
    private static <T> ITypeConverter<T> sentence(Function<String, T> parser) {
        return raw -> {
            try {
                return parser.apply(raw);
            } catch (IllegalArgumentException e) {
                throw new RefusedValue(e.getMessage(), false);
            }
        };
    }

    /**
     * A value the tool refuses. {@code followsTheOptionName}: the words finish a sentence that
     * starts with the option ("must be a duration ..."), rather than being one.
     */
    private static final class RefusedValue extends TypeConversionException {
        final boolean followsTheOptionName;

        RefusedValue(String message, boolean followsTheOptionName) {
            super(message);
            this.followsTheOptionName = followsTheOptionName;
        }
    }
}
