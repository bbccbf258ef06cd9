package dev.castgate.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Finds {@code CASTGATE_*} environment variables that nothing reads: a mistyped setting
 * ({@code CASTGATE_PROT=9090}) was ignored without a word, and the server started on the default.
 * Each is named at start, with the known name closest to it.
 */
final class EnvironmentNames {
    /**
     * {@code CASTGATE_*} names that are not settings but are read: by the log set-up and the
     * loader, by {@code bin/castgate} and {@code bin/jdk.sh}, by the tests and by the benchmarks.
     */
    static final Set<String> NOT_SETTINGS = Set.of("CASTGATE_CONFIG", "CASTGATE_LOG_LEVEL", "CASTGATE_JAVA_OPTS",
            "CASTGATE_JAVA_VERSION", "CASTGATE_JAVA_MAJOR", "CASTGATE_JDK", "CASTGATE_TEST_JDBC_URL", "CASTGATE_BENCH_PG_DB");
    private static final String PREFIX = "CASTGATE_";

    private EnvironmentNames() {}

    /** One warning per unknown name, in name order; names are compared in upper case, as a typo in case is a typo. */
    static List<String> warnings(Collection<String> environment, Collection<String> settingNames) {
        List<String> known = Stream.concat(settingNames.stream(), NOT_SETTINGS.stream()).distinct().toList();
        return environment.stream()
                .filter(name -> name.toUpperCase(Locale.ROOT).startsWith(PREFIX) && !known.contains(name))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)).stream()
                .map(name -> "unknown environment variable " + name + " is ignored; " + closest(name, known)
                        .map(match -> "did you mean " + match + "?")
                        .orElse("no setting has a name like it (see the README's configuration table)"))
                .toList();
    }

    /** The known name fewest edits away, if it is near enough to be what was meant: at most a third of the name's own part. */
    static Optional<String> closest(String name, Collection<String> known) {
        String upper = name.toUpperCase(Locale.ROOT);
        int allowed = Math.max(2, (upper.length() - PREFIX.length()) / 3);
        return known.stream()
                .min(Comparator.comparingInt((String k) -> distance(upper, k)).thenComparing(Comparator.naturalOrder()))
                .filter(k -> distance(upper, k) <= allowed);
    }

    /** Edits (insert, delete, replace, swap two neighbours) from a to b: optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
