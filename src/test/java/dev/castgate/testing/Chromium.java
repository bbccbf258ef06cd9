package dev.castgate.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium driven like a person: fields found by their label, buttons by their text.
 * Uses Debian's {@code chromium} and {@code chromium-driver} with a fresh profile, and never lets
 * Selenium Manager look for (or download) a driver. Where they are not installed the calling test
 * is skipped with a note, except in CI ({@code CI=true}), where their absence is a failure.
 */
public final class Chromium implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/bin/chromium");
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final List<String> FLAGS = List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run");
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    /** Skips the calling test (or fails it, in CI) when Chromium or its driver is missing. */
    public static void requireInstalled() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(BINARY)) missing.add(BINARY + " (Debian package chromium)");
        if (!Files.isExecutable(DRIVER)) missing.add(DRIVER + " (Debian package chromium-driver)");
        if (missing.isEmpty()) return;
        String message = "Chromium is not installed: missing " + String.join(", ", missing);
        if ("true".equals(System.getenv("CI"))) throw new IllegalStateException(message + "; CI requires the browser tests to run");
        Assumptions.abort(message + "; the browser tests are skipped");
    }

    public static Chromium start() {
        requireInstalled();
        // Point Selenium at the installed driver so it never runs Selenium Manager (the network is closed).
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
        Path profile;
        try {
            profile = Files.createTempDirectory("castgate-chromium");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withLogOutput(OutputStream.nullOutputStream())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toFile());
        options.addArguments(FLAGS);
        options.addArguments("--user-data-dir=" + profile);
        try {
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
            return new Chromium(service, driver, profile);
        } catch (RuntimeException e) {
            service.stop();
            ChildProcesses.deleteTree(profile);
            throw e;
        }
    }

    public WebDriver driver() { return driver; }

    /** Forgets every cookie and leaves the current page, so the next test starts as a new visitor. */
    public void reset() {
        driver.get("about:blank");
        driver.executeCdpCommand("Network.clearBrowserCookies", java.util.Map.of());
    }

    public void open(String url) { driver.get(url); }

    public String currentUrl() { return driver.getCurrentUrl(); }

    public String title() { return driver.getTitle(); }

    /** The visible text of the page. */
    public String text() { return driver.findElement(By.tagName("body")).getText(); }

    /** The form control a {@code <label>} with exactly this text points at through its {@code for} attribute. */
    public WebElement fieldLabelled(String labelText) {
        List<WebElement> labels = driver.findElements(By.xpath("//label[normalize-space(.)=" + literal(labelText) + "]"));
        if (labels.size() != 1) {
            throw new AssertionError("expected one label '" + labelText + "', found " + labels.size() + " on " + currentUrl());
        }
        String id = labels.get(0).getDomAttribute("for");
        if (id == null || id.isEmpty()) throw new AssertionError("label '" + labelText + "' has no for attribute");
        return driver.findElement(By.id(id));
    }

    /** Types into the field with this label, replacing what it holds. */
    public void type(String labelText, String value) {
        WebElement field = fieldLabelled(labelText);
        field.clear();
        field.sendKeys(value);
    }

    /** The button showing exactly this text. */
    public WebElement button(String text) {
        List<WebElement> buttons = driver.findElements(By.xpath("//button[normalize-space(.)=" + literal(text) + "]"));
        if (buttons.size() != 1) {
            throw new AssertionError("expected one button '" + text + "', found " + buttons.size() + " on " + currentUrl());
        }
        return buttons.get(0);
    }

    /**
     * Clicks the button showing this text, which submits its form, and waits (bounded) until the
     * browser has left the page, so what the test reads next is the page the form led to.
     */
    public void click(String buttonText) {
        WebElement button = button(buttonText);
        WebElement page = driver.findElement(By.tagName("html"));
        button.click();
        new WebDriverWait(driver, WAIT).withMessage(() -> "the page did not change after clicking '" + buttonText + "'")
                .until(d -> replaced(page));
    }

    /** Follows the link showing exactly this text and waits (bounded) until the next page has replaced this one. */
    public void follow(String linkText) {
        List<WebElement> links = driver.findElements(By.xpath("//a[normalize-space(.)=" + literal(linkText) + "]"));
        if (links.size() != 1) {
            throw new AssertionError("expected one link '" + linkText + "', found " + links.size() + " on " + currentUrl());
        }
        WebElement page = driver.findElement(By.tagName("html"));
        links.get(0).click();
        new WebDriverWait(driver, WAIT).withMessage(() -> "the page did not change after following '" + linkText + "'")
                .until(d -> replaced(page));
    }

    /** The {@code lang} attribute of the page's {@code <html>} element. */
    public String htmlLang() { return driver.findElement(By.tagName("html")).getDomAttribute("lang"); }

    /** Waits (bounded) until the browser's address satisfies the condition; returns the address. */
    public String awaitUrl(Predicate<String> condition, String description) {
        new WebDriverWait(driver, WAIT).withMessage(() -> "the browser did not reach " + description + "; it is at "
                + driver.getCurrentUrl()).until(d -> condition.test(d.getCurrentUrl()));
        return driver.getCurrentUrl();
    }

    /** An XPath string literal for any text. */
    static String literal(String s) {
        if (!s.contains("'")) return "'" + s + "'";
        if (!s.contains("\"")) return "\"" + s + "\"";
        return "concat('" + s.replace("'", "', \"'\", '") + "')";
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            ChildProcesses.deleteTree(profile);
        }
    }

    /**
     * Whether the page this element belonged to has been replaced. Chromium reports a replaced
     * document either as a stale element or, mid-navigation, as a node that "does not belong to
     * the document"; both mean the old page is gone.
     */
    private static boolean replaced(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException gone) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (String.valueOf(e.getMessage()).contains("does not belong to the document")) return true;
            throw e;
        }
    }
}
