package dev.castgate.cli;

import java.io.Console;

/** Whether a person is at the keyboard, and a question for them: for confirmations that a script must give as an option. */
final class Terminal {
    private Terminal() {}

    /**
     * True when standard input and output are a terminal. Up to JDK 21 a console exists only then;
     * from JDK 22 one exists whenever the JVM has one, and {@code Console.isTerminal()} (not in
     * Java 21's API, so looked up) tells.
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException before22) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Asks on the terminal ({@code format} as {@link String#format}) and returns the line typed, or null at the end of input. */
    static String ask(String format, Object... args) {
        return System.console().readLine(format, args);
    }
}
