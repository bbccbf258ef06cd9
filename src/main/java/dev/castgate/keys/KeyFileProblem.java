package dev.castgate.keys;

/**
 * Why the keys at rest cannot be opened or re-encrypted, in one line saying what and what to do:
 * no key file where one is required, a file that is missing, unreadable or not a key, or a key
 * that does not open the database's values. The server meets it as a start that cannot succeed,
 * the tool as a database it cannot open: one line, exit 2.
 */
public final class KeyFileProblem extends RuntimeException {
    KeyFileProblem(String message) {
        super(message, null, false, false);
    }
}
