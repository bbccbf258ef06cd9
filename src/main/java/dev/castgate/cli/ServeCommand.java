package dev.castgate.cli;

import dev.castgate.App;
import dev.castgate.config.ConfigLoader;
import dev.castgate.config.ServerConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = "Start the server.")
public final class ServeCommand implements Runnable {
    @ParentCommand CastgateCommand root;

    @Option(names = "--demo", description = "Seed the demo user and the playground client, print the demo credentials, "
            + "and serve the playground at /playground (also CASTGATE_DEMO=true).")
    boolean demo;

    @Override
    public void run() {
        serve(root.config(), demo);
    }

    /**
     * The server's own command lines ({@code serve}, with {@code --demo} and {@code --config FILE}
     * in any order), read without picocli: building picocli's model of every command took a fifth
     * of a second of each start here. Empty for anything else (help, a mistake, another command),
     * which picocli then reads, so its messages stay the same.
     */
    public static Optional<Runnable> plain(String... args) {
        Path configFile = null;
        boolean demo = false;
        boolean serve = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("serve") && !serve) {
                serve = true;
            } else if (arg.equals("--demo") && serve && !demo) {
                demo = true;
            } else if (arg.equals("--config") && configFile == null && i + 1 < args.length && !args[i + 1].startsWith("-")) {
                configFile = Path.of(args[++i]);
            } else if (arg.startsWith("--config=") && configFile == null && arg.length() > "--config=".length()) {
                configFile = Path.of(arg.substring("--config=".length()));
            } else {
                return Optional.empty();
            }
        }
        if (!serve) return Optional.empty();
        Optional<Path> file = Optional.ofNullable(configFile);
        boolean withDemo = demo;
        return Optional.of(() -> serve(ConfigLoader.load(file), withDemo));
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
