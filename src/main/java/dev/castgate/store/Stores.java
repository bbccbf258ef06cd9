package dev.castgate.store;

/** Every store, bound to one connection source: the pool, or one open transaction. */
public record Stores(
        ClientStore clients,
        UserStore users,
        GrantStore grants,
        ConsentStore consents,
        AuthorizationCodeStore codes,
        TokenStore tokens,
        SessionStore sessions,
        SigningKeyStore signingKeys,
        LoginFailureStore loginFailures,
        AuditStore audit,
        HousekeepingStore housekeeping,
        ServerSecretStore serverSecrets,
        SealedValueStore sealedValues,
        DeviceCodeStore deviceCodes,
        ChannelStore channels,
        VideoStore videos,
        DevicePasswordStore devicePasswords,
        RateLimitStore rateLimits,
        SecondFactorStore secondFactors,
        EmailLinkStore emailLinks,
        MailOutboxStore mailOutbox,
        PasskeyStore passkeys,
        RegistrationTokenStore registrationTokens,
        ClientRegistrationStore clientRegistrations,
        PushedAuthorizationRequestStore pushedRequests) {}
