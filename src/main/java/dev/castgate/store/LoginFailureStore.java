package dev.castgate.store;

import java.time.Instant;

/** Failed sign-ins by throttle key ("account:..." or "address:..."), for throttling. */
public interface LoginFailureStore {
    void record(String key, Instant at);

    int countSince(String key, Instant since);

    void clear(String key);
}
