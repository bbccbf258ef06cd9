package dev.castgate.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Calls released together on as many threads, for tests of what happens when requests race. */
public final class AtOnce {
    private AtOnce() {}

    /** Runs {@code count} calls on as many threads, released together; their answers in the order they were started. */
    public static <T> List<T> send(int count, Callable<T> call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(count)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                futures.add(threads.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> future : futures) answers.add(future.get());
            return answers;
        }
    }
}
