package dev.castgate.mail;

import dev.castgate.crypto.Hashes;
import dev.castgate.crypto.RandomTokens;
import dev.castgate.domain.EmailLink;
import dev.castgate.domain.UserId;
import dev.castgate.store.Stores;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The links Castgate mails: single use, short-lived, stored only by the SHA-256 of their token
 * (DESIGN.md, rule 8). A token is HMAC-SHA256, under a key the nodes share through the database,
 * of the link's purpose and random id: the outbox keeps only the id, and whichever node sends the
 * mail derives the token again, so no table ever holds one (the ingest keys and the refresh
 * successors are made the same way).
 */
public final class EmailLinks {
    /** The name of the server secret the tokens are derived under. */
    public static final String SERVER_SECRET = "email_links";
    /** How long a verification link works. */
    public static final Duration VERIFY_TTL = Duration.ofHours(24);
    /** How long a recovery link works (ASVS 2.5.x: short, single use). */
    public static final Duration RESET_TTL = Duration.ofMinutes(30);
    /** 256 bits in unpadded URL-safe base64. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;
    private final RandomTokens random;
    private final Clock clock;

    /** {@code secret} is the HMAC key, shared by every node through the database. */
    public EmailLinks(String secret, RandomTokens random, Clock clock) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        this.random = random;
        this.clock = clock;
    }

    /** What a token from a followed link finds. */
    public sealed interface Found {
        /** Unused and in time. */
        record Usable(EmailLink link) implements Found {}
        /** Followed already. */
        record Used(EmailLink link) implements Found {}
        /** Past its time. */
        record Expired(EmailLink link) implements Found {}
        /** Not a link of this purpose: mistyped, cut off, or deleted since (superseded, or swept after it expired). */
        record Unknown() implements Found {}
    }

    /** Stores a new link to {@code email}; call it in the transaction that mails it. */
    public EmailLink issue(Stores tx, UserId userId, EmailLink.Purpose purpose, String email, Optional<String> returnTo) {
        Instant now = clock.instant();
        String id = random.sortableHex40(now);
        EmailLink link = new EmailLink(id, Hashes.tokenHash(token(purpose, id)), userId, purpose, email, returnTo, now,
                now.plus(purpose == EmailLink.Purpose.VERIFY ? VERIFY_TTL : RESET_TTL), Optional.empty());
        tx.emailLinks().insert(link);
        return link;
    }

    /** The token the link's mail carries. */
    public String token(EmailLink link) { return token(link.purpose(), link.id()); }

    /** Looks a followed link's token up; anything not shaped like a token is unknown without a lookup. */
    public Found find(Stores stores, String token, EmailLink.Purpose purpose) {
        if (token == null || !TOKEN.matcher(token).matches()) return new Found.Unknown();
        Optional<EmailLink> link = stores.emailLinks().findByToken(Hashes.tokenHash(token)).filter(l -> l.purpose() == purpose);
        if (link.isEmpty()) return new Found.Unknown();
        if (link.get().consumedAt().isPresent()) return new Found.Used(link.get());
        if (link.get().expired(clock.instant())) return new Found.Expired(link.get());
        return new Found.Usable(link.get());
    }

    private String token(EmailLink.Purpose purpose, String id) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            byte[] digest = mac.doFinal((purpose.column() + ":" + id).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
