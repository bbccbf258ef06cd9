package dev.castgate.cli;

import dev.castgate.App;
import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ConfigLoader.CommandLineSetting;
import dev.castgate.config.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = {"Start the server.",
        "--port and --host win over CASTGATE_PORT and CASTGATE_HOST, which win over the configuration file, which wins over the defaults."})
public final class ServeCommand implements Runnable {
    /** The options that stand for a setting, by the setting's file key. */
    private static final Map<String, String> SETTINGS = Map.of("--port", "port", "--host", "host");

    @ParentCommand CastgateCommand root;

    @Option(names = "--demo", description = "Seed the demo user and the playground client, print the demo credentials, "
            + "and serve the playground at /playground (also CASTGATE_DEMO=true).")
    boolean demo;

    @Option(names = "--port", paramLabel = "N", description = "The port to listen on (the setting port, CASTGATE_PORT).")
    String port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "The address to listen on, 0.0.0.0 for all (the setting host, CASTGATE_HOST).")
    String host;

    @Override
    public void run() {
        Map<String, CommandLineSetting> options = new LinkedHashMap<>();
        if (port != null) options.put("--port", new CommandLineSetting("port", port));
        if (host != null) options.put("--host", new CommandLineSetting("host", host));
        serve(ConfigLoader.load(Optional.ofNullable(root.configFile), options), demo);
    }

    /**
     * The server's own command lines ({@code serve}, with {@code --demo}, {@code --config FILE},
     * {@code --port N} and {@code --host ADDRESS} in any order), read without picocli: building
     * picocli's model of every command took a fifth of a second of each start here. Empty for
     * anything else (help, a mistake, another command), which picocli then reads, so its messages
     * stay the same.
     */
    public static Optional<Runnable> plain(String... args) {
        Path configFile = null;
        Map<String, CommandLineSetting> options = new LinkedHashMap<>();
        boolean demo = false;
        boolean serve = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            boolean inline = arg.contains("=");
            boolean valueFollows = !inline && i + 1 < args.length && !args[i + 1].startsWith("-");
            if (arg.equals("serve") && !serve) {
                serve = true;
            } else if (arg.equals("--demo") && serve && !demo) {
                demo = true;
            } else if (name.equals("--config") && configFile == null && (valueFollows || inline && arg.length() > name.length() + 1)) {
                configFile = Path.of(inline ? arg.substring(name.length() + 1) : args[++i]);
            } else if (SETTINGS.containsKey(name) && serve && !options.containsKey(name)
                    && (valueFollows || inline && arg.length() > name.length() + 1)) {
                options.put(name, new CommandLineSetting(SETTINGS.get(name), inline ? arg.substring(name.length() + 1) : args[++i]));
            } else {
                return Optional.empty();
            }
        }
        if (!serve) return Optional.empty();
        Optional<Path> file = Optional.ofNullable(configFile);
        boolean withDemo = demo;
        return Optional.of(() -> serve(ConfigLoader.load(file, options), withDemo));
    }

    private static void serve(ServerConfig config, boolean demo) {
        App app = App.start(demo ? config.withDemo() : config, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "castgate-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
