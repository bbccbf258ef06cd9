package dev.castgate.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Scope parsing and set algebra (RFC 6749 §3.3). */
class ScopeTest {
    @Test
    void wireValueIsSortedAndWithoutDuplicates() {
        Scope scope = Scope.parseOrNull("openid profile email openid");
        assertThat(scope.wireValue()).isEqualTo("email openid profile");
        assertThat(scope.values()).containsExactly("email", "openid", "profile");
        assertThat(scope.toString()).isEqualTo("email openid profile");
    }

    @Test
    void repeatedSpacesDoNotMakeEmptyTokens() {
        assertThat(Scope.parseOrNull("  openid   email ").values()).containsExactly("email", "openid");
    }

    @Test
    void absentOrBlankIsTheEmptyScope() {
        assertThat(Scope.parseOrNull(null)).isEqualTo(Scope.EMPTY);
        assertThat(Scope.parseOrNull("")).isEqualTo(Scope.EMPTY);
        assertThat(Scope.parseOrNull("   ")).isEqualTo(Scope.EMPTY);
        assertThat(Scope.EMPTY.isEmpty()).isTrue();
        assertThat(Scope.EMPTY.wireValue()).isEmpty();
    }

    @Test
    void charactersOutsideTheScopeTokenSyntaxAreRefused() {
        // scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
        assertThat(Scope.parseOrNull("openid \"email\"")).isNull();
        assertThat(Scope.parseOrNull("open\\id")).isNull();
        assertThat(Scope.parseOrNull("openid\temail")).isNull();
        assertThat(Scope.parseOrNull("openid\nemail")).isNull();
        assertThat(Scope.parseOrNull("prófile")).isNull();
        assertThat(Scope.parseOrNull("openid\u007F")).isNull();
    }

    @Test
    void theWholePrintableRangeButQuoteAndBackslashIsAllowed() {
        assertThat(Scope.parseOrNull("! # [ ] ~ urn:x:read https://api.example/scope").values())
                .containsExactly("!", "#", "[", "]", "https://api.example/scope", "urn:x:read", "~");
    }

    @Test
    void scopesWithTheSameTokensAreEqualWhateverTheOrder() {
        assertThat(Scope.parseOrNull("email openid")).isEqualTo(Scope.of("openid", "email"));
        assertThat(Scope.of("openid", "email").hashCode()).isEqualTo(Scope.of("email", "openid").hashCode());
    }

    @Test
    void containmentAndDifference() {
        Scope allowed = Scope.of("openid", "email", "profile");
        Scope asked = Scope.of("openid", "broadcaster", "email");
        assertThat(allowed.containsAll(Scope.of("email", "openid"))).isTrue();
        assertThat(allowed.containsAll(Scope.EMPTY)).isTrue();
        assertThat(allowed.containsAll(asked)).isFalse();
        assertThat(asked.missingFrom(allowed)).containsExactly("broadcaster");
        assertThat(Scope.of("openid").missingFrom(allowed)).isEmpty();
        assertThat(asked.contains("broadcaster")).isTrue();
        assertThat(asked.contains("broad")).isFalse();
    }

    @Test
    void withoutLeavesTheOriginalUnchanged() {
        Scope scope = Scope.of("openid", "offline");
        assertThat(scope.without(Scope.OFFLINE)).isEqualTo(Scope.of("openid"));
        assertThat(scope.without("absent")).isEqualTo(scope);
        assertThat(scope.wireValue()).isEqualTo("offline openid");
    }

    @Test
    void valuesCannotBeChangedFromOutside() {
        java.util.TreeSet<String> source = new java.util.TreeSet<>(java.util.List.of("openid"));
        Scope scope = new Scope(source);
        source.add("email");
        assertThat(scope.values()).containsExactly("openid");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scope.values().add("email"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void knownScopesInConsentPageOrder() {
        assertThat(Scope.KNOWN).containsExactly("openid", "profile", "email", "broadcaster");
    }
}
