package dev.castgate.cli;

import dev.castgate.App;
import dev.castgate.config.ServerConfig;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "serve", description = "Start the server.")
final class ServeCommand implements Runnable {
    @ParentCommand CastgateCommand root;

    @Option(names = "--demo", description = "Seed the demo user and the playground client, print the demo credentials, "
            + "and serve the playground at /playground (also CASTGATE_DEMO=true).")
    boolean demo;

    @Override
    public void run() {
        ServerConfig config = root.config();
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
