package dev.castgate.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id for passwords people choose, stored in the PHC string format
 * ({@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}) so parameters can be raised later.
 */
public final class PasswordHasher {
    private static final int MEMORY_KIB = 19_456; // OWASP's minimum for Argon2id: 19 MiB, 2 passes
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int HASH_LENGTH = 32;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final RandomTokens random;
    private final int memoryKib;
    private final int iterations;
    /**
     * A hash to verify against when the user does not exist, so timing does not tell usernames
     * apart. Random salt and hash with the real parameters cost the same to check as a real hash
     * and match no password; hashing a made-up password instead would cost an Argon2 run at start.
     */
    private final String decoy;

    public PasswordHasher(RandomTokens random) { this(random, MEMORY_KIB, ITERATIONS); }

    private PasswordHasher(RandomTokens random, int memoryKib, int iterations) {
        this.random = random;
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.decoy = phc(random.bytes(16), random.bytes(HASH_LENGTH));
    }

    /**
     * A hasher whose new hashes cost less than the server's, for test fixtures that make hundreds
     * of accounts. Every check reads the cost from the stored hash, so the server checks those
     * accounts' passwords at their own cost and everything else at its own.
     */
    public static PasswordHasher forFixtures(RandomTokens random) { return new PasswordHasher(random, 64, 1); }

    public String hash(String password) {
        byte[] salt = random.bytes(16);
        return phc(salt, derive(password, salt, memoryKib, iterations, PARALLELISM, HASH_LENGTH));
    }

    private String phc(byte[] salt, byte[] hash) {
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + PARALLELISM
                + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    public boolean verify(String password, String phc) {
        String[] parts = phc.split("\\$");
        // ["", "argon2id", "v=19", "m=..,t=..,p=..", salt, hash]
        if (parts.length != 6 || !parts[1].equals("argon2id")) return false;
        int m = 0, t = 0, p = 0;
        for (String kv : parts[3].split(",")) {
            String[] pair = kv.split("=", 2);
            int value = Integer.parseInt(pair[1]);
            switch (pair[0]) {
                case "m" -> m = value;
                case "t" -> t = value;
                case "p" -> p = value;
                default -> { return false; }
            }
        }
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        byte[] actual = derive(password, salt, m, t, p, expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the same work as a real check; for unknown usernames. */
    public void verifyDecoy(String password) { verify(password, decoy); }

    private static byte[] derive(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory).withIterations(iterations).withParallelism(parallelism)
                .withSalt(salt).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
